-- Item 2 variant: compiling a huge string is charged piece by piece.
-- args: --max-instructions 200000 --max-heap-mb 256 --max-wall-ms 3000
-- exit: 1
-- message: instruction budget exceeded
-- wall-ms: 6000
-- rss-mb: 600
local src = string.rep("a = 1 ", 1e7)
load(src)
