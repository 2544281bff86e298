-- Item 1: load() runs its reader in a protected call and returns its error.
-- args: --max-instructions 0 --max-wall-ms 1500
-- exit: 4
-- message: wall-clock budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
while true do load(function() while true do end end) end
