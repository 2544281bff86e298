-- Item 2 variant: string.format widths are bounded by Lua (two digits).
-- args: --max-wall-ms 1500
-- exit: 1
-- message: string_format_width.lua:7: invalid conversion
-- wall-ms: 3000
-- rss-mb: 200
print(string.format("%099999d", 1))
