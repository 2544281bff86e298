#pragma once
// Text from a script or a trace, made safe to print on a terminal. A log line, a task
// name or an error message is the scenario author's text (or a trace's, from anyone):
// printed as it is, an escape sequence in it could clear the screen, retitle the
// window, set the clipboard (OSC 52) or hide the lines around it.
//
// No state: pure functions, callable from any thread.

#include <cstddef>
#include <string>
#include <string_view>

namespace spindle {

/// The length of the printable character at `s[i]` (i < s.size()): 1 for printable
/// ASCII, 2–4 for a valid UTF-8 sequence of a character that is not a C1 control
/// (U+0080–U+009F), 0 for a byte a terminal could act on: a C0 control, DEL, a C1
/// control's first byte, or a byte that does not begin valid UTF-8.
std::size_t printable_length(std::string_view s, std::size_t i);

/// Appends `text` with every byte printable_length() rejects written as `\xHH`
/// (lower-case hex), except newlines and tabs, which stay when `keep_lines`.
void append_terminal_safe(std::string& out, std::string_view text, bool keep_lines = true);

/// `text` as append_terminal_safe() writes it.
std::string terminal_safe(std::string_view text);

/// A name (of a task, a channel, a lock) for a line of text: as terminal_safe(), and its
/// newlines and tabs escaped too, so a name cannot fake the lines around it.
std::string one_line(std::string_view name);

/// Rewrites DEL and the C1 controls inside `json` (a serialised document: they can only be
/// in its strings) as \u escapes, so the JSON reads the same and shows safely on a terminal.
/// JSON writers escape the C0 controls already.
void escape_json_controls(std::string& json);

}  // namespace spindle
