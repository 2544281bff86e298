-- Item 2: the same with no instruction budget: the wall clock still ends it.
-- args: --max-instructions 0 --max-wall-ms 1500
-- exit: 4
-- message: wall-clock budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
table.move({}, 1, 2^50, 1, {})
