-- Item 2: table.move over 2^50 empty slots ran in C past every budget.
-- args: --max-instructions 5000000 --max-wall-ms 1500
-- exit: 1
-- message: table_move_huge.lua:7: instruction budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
table.move({}, 1, 2^50, 1, {})
