-- Item 4 variant: a setting of the wrong type is refused with a message.
-- args: --max-wall-ms 1500
-- exit: 1
-- message: policy must be
-- wall-ms: 3000
-- rss-mb: 200
scenario{policy = 12}
