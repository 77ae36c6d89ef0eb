#include "calendar/yaml_syntax.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

namespace herald::calendar {
namespace {

constexpr std::size_t kNone = std::string::npos;

// Keys whose values are texts: a value there that YAML cannot read was
// meant as words, and quoting it is the fix.
constexpr std::string_view kTextKeys[] = {"text",  "title", "description", "alt",     "link",
                                          "note",  "path",  "cover",       "privacy", "goal",
                                          "kind",  "rule",  "calendar",    "id",      "for_each",
                                          "start", "until", "at",          "late",    "time_zone"};

// One line of the file as YAML sees its shape: `  - key: value  # comment`.
struct Shape {
  std::size_t start = 0;      // offset of the line
  std::size_t end = 0;        // offset of its '\n' (or '\r'), or the text's end
  std::size_t content = 0;    // first non-space character
  std::string key;            // `key` of `key: value`, or empty
  std::size_t value = kNone;  // where the value starts on this line, if it does
  bool blank = true;          // empty or only a comment
};

Shape ShapeAt(const std::string& s, std::size_t line_start) {
  Shape l;
  l.start = line_start;
  l.end = s.find('\n', line_start);
  if (l.end == kNone) l.end = s.size();
  if (l.end > line_start && s[l.end - 1] == '\r') --l.end;
  std::size_t i = line_start;
  while (i < l.end && s[i] == ' ') ++i;
  l.content = i;
  if (i >= l.end || s[i] == '#') return l;
  l.blank = false;
  bool item = false;
  if (s[i] == '-' && (i + 1 == l.end || s[i + 1] == ' ')) {
    item = true;
    ++i;
    while (i < l.end && s[i] == ' ') ++i;
  }
  std::size_t k = i;
  while (k < l.end && (std::isalnum(static_cast<unsigned char>(s[k])) || s[k] == '_' ||
                       s[k] == '-' || s[k] == '.')) {
    ++k;
  }
  if (k > i && k < l.end && s[k] == ':' && (k + 1 == l.end || s[k + 1] == ' ')) {
    l.key = s.substr(i, k - i);
    i = k + 1;
    while (i < l.end && s[i] == ' ') ++i;
    if (i < l.end && s[i] != '#') l.value = i;
  } else if (item && i < l.end) {
    l.value = i;
  }
  return l;
}

// Where a comment starts on the line from line_start (`#` at the start or
// after a space, outside quotes), or kNone.
std::size_t CommentStart(const std::string& s, std::size_t line_start) {
  char quote = 0;
  for (std::size_t i = line_start; i < s.size() && s[i] != '\n'; ++i) {
    const char c = s[i];
    if (quote != 0) {
      if (quote == '"' && c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '#' && (i == line_start || s[i - 1] == ' ' || s[i - 1] == '\t')) {
      return i;
    } else if ((c == '"' || c == '\'') &&
               (i == line_start || std::string_view(" [{,:").find(s[i - 1]) != kNone)) {
      quote = c;
    }
  }
  return kNone;
}

std::size_t LineStart(const std::string& s, std::size_t offset) {
  while (offset > 0 && s[offset - 1] != '\n') --offset;
  return offset;
}

// The non-blank line before the one starting at line_start, if any.
std::optional<Shape> PreviousLine(const std::string& s, std::size_t line_start) {
  while (line_start > 0) {
    line_start = LineStart(s, line_start - 1);
    Shape l = ShapeAt(s, line_start);
    if (!l.blank) return l;
  }
  return std::nullopt;
}

std::string Trimmed(std::string_view v) {
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return std::string(v);
}

std::string DoubleQuoted(std::string_view inner) {
  std::string out = "\"";
  for (char c : inner) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The closing quote of the quoted value at s[open] on its line, or kNone.
std::size_t ClosingQuote(const std::string& s, std::size_t open, std::size_t line_end) {
  const char q = s[open];
  for (std::size_t i = open + 1; i < line_end; ++i) {
    if (q == '"' && s[i] == '\\') {
      ++i;
    } else if (s[i] == q) {
      if (q == '\'' && i + 1 < line_end && s[i + 1] == '\'') {
        ++i;
        continue;
      }
      return i;
    }
  }
  return kNone;
}

// The example a message shows: `key: "value"`, shortened.
std::string Example(const Shape& l, const std::string& quoted) {
  std::string shown = quoted.size() > 48 ? quoted.substr(0, 44) + "...\"" : quoted;
  return "`" + (l.key.empty() ? "- " : l.key + ": ") + shown + "`";
}

struct Explanation {
  std::size_t offset = 0;
  std::string message;
  // The line's value replaced by `replacement`, to go on parsing.
  std::optional<std::string> replacement;
  Shape line;
};

// When a ` #` on line l hides the `]` or `}` that closes a bracket opened on
// it (`{text: Go team #GameDay}`): the explanation, at the `#`.
std::optional<Explanation> CommentHidesClose(const std::string& s, const Shape& l, char open) {
  const char close = open == '{' ? '}' : ']';
  const std::size_t cut = CommentStart(s, l.start);
  if (cut == kNone || s.find(close, cut) >= l.end || s.find(open, l.start) >= cut) {
    return std::nullopt;
  }
  Explanation x;
  x.offset = cut;
  x.line = l;
  x.message = std::string("YAML reads this ` #` as the start of a comment, so the `") + close +
              "` after it is never seen and the `" + open +
              "` is never closed; put the text with the hashtags in quotes";
  return x;
}

bool StartsWith(const std::string& msg, std::string_view prefix) {
  return msg.compare(0, prefix.size(), prefix) == 0;
}

// Whether the value on line l alone explains the error, and how.
std::optional<Explanation> ExplainValue(const std::string& s, const Shape& l,
                                        const std::string& msg, std::size_t error_at) {
  if (l.value == kNone) return std::nullopt;
  const std::string v = Trimmed(std::string_view(s).substr(l.value, l.end - l.value));
  const bool text_key = l.key.empty() || std::find(std::begin(kTextKeys), std::end(kTextKeys),
                                                   l.key) != std::end(kTextKeys);
  const std::string quoted = DoubleQuoted(v);
  Explanation x;
  x.offset = l.value;
  x.line = l;
  x.replacement = quoted;
  const char c = v[0];
  if (v.compare(0, 2, "{{") == 0) {
    x.message =
        "quote this text: YAML reads a value that starts with `{` as a mapping, so a text "
        "that starts with `{{` must be in quotes, like " +
        Example(l, quoted);
    return x;
  }
  if (c == '[' || c == '{') {
    if (std::optional<Explanation> cut = CommentHidesClose(s, l, c)) return cut;
  }
  if ((c == '[' || c == '{') && text_key) {
    x.message = std::string("quote this text: YAML reads a value that starts with `") + c +
                "` as a " + (c == '[' ? "list" : "mapping") +
                ", so this text must be in quotes, like " + Example(l, quoted);
    return x;
  }
  if (c == '@' || c == '`' || c == '%') {
    x.message = std::string("quote this text: YAML does not allow a value to start with `") + c +
                "`, so this text must be in quotes, like " + Example(l, quoted);
    return x;
  }
  if (c == '*' && (msg == YAML::ErrorMsg::UNKNOWN_ANCHOR || StartsWith(msg, "alias"))) {
    x.message =
        "quote this text: YAML reads a value that starts with `*` as a reference to an "
        "anchor (`&name`), so this text must be in quotes, like " +
        Example(l, quoted);
    return x;
  }
  if (v.compare(0, 2, "- ") == 0 && msg == YAML::ErrorMsg::BLOCK_ENTRY) {
    x.message =
        "quote this text: YAML reads `- ` as the start of a list item, which cannot "
        "follow a key on its line; put the text in quotes, like " +
        Example(l, quoted) + ", or start each list item on a line of its own";
    return x;
  }
  if (c == '"' || c == '\'') {
    const std::size_t close = ClosingQuote(s, l.value, l.end);
    if (close == kNone) return std::nullopt;
    std::size_t after = close + 1;
    while (after < l.end && s[after] == ' ') ++after;
    if (after < l.end && s[after] != '#') {
      if (StartsWith(msg, YAML::ErrorMsg::INVALID_ESCAPE) || msg == YAML::ErrorMsg::INVALID_HEX ||
          StartsWith(msg, YAML::ErrorMsg::INVALID_UNICODE)) {
        return std::nullopt;
      }
      std::string inner = v;
      if (v.size() >= 2 && v.back() == c) {
        inner = v.substr(1, v.size() - 2);
        if (c == '\'') {
          for (std::size_t p = inner.find("''"); p != kNone; p = inner.find("''", p + 1)) {
            inner.erase(p, 1);
          }
        }
      }
      const std::string requoted = DoubleQuoted(inner);
      x.replacement = requoted;
      x.message = std::string(
                      "the quotes of this text close before its end; put one pair of "
                      "quotes around the whole text, like ") +
                  Example(l, requoted) +
                  (c == '\'' ? " (inside single quotes, write an apostrophe as `''`)"
                             : " (inside double quotes, write a quote as `\\\"`)");
      return x;
    }
    return std::nullopt;
  }
  if (msg == YAML::ErrorMsg::MAP_VALUE && error_at > l.value && error_at < l.end &&
      v.find(": ") != kNone && text_key) {
    x.message =
        "quote this text: it has `: ` in it, which YAML reads as the start of another "
        "key; put the text in quotes, like " +
        Example(l, quoted);
    return x;
  }
  return std::nullopt;
}

Explanation Explain(const std::string& s, const YAML::Mark& mark, const std::string& msg) {
  const std::size_t at =
      std::min<std::size_t>(mark.pos < 0 ? 0 : static_cast<std::size_t>(mark.pos), s.size());
  const std::size_t line_start = LineStart(s, at);
  const Shape line = ShapeAt(s, line_start);
  Explanation x;
  x.offset = at;
  x.line = line;

  // A tab in the indentation of this line or the one before.
  std::vector<Shape> near = {line};
  if (std::optional<Shape> prev = PreviousLine(s, line_start)) near.push_back(*prev);
  for (const Shape& l : near) {
    for (std::size_t i = l.start; i < l.end && (s[i] == ' ' || s[i] == '\t' || s[i] == '-'); ++i) {
      if (s[i] != '\t') continue;
      x.offset = i;
      x.line = l;
      x.message =
          "this line is indented with a tab; YAML indents with spaces only, so replace "
          "the tab with spaces";
      return x;
    }
  }

  if (StartsWith(msg, YAML::ErrorMsg::INVALID_ESCAPE) || msg == YAML::ErrorMsg::INVALID_HEX ||
      StartsWith(msg, YAML::ErrorMsg::INVALID_UNICODE)) {
    std::size_t backslash = s.rfind('\\', at);
    if (backslash == kNone || backslash < line_start) backslash = at;
    x.offset = backslash;
    x.message = "inside double quotes a backslash starts an escape such as `\\n`, and `" +
                s.substr(backslash, std::min<std::size_t>(2, line.end - backslash)) +
                "` is not one: write `\\\\` for a backslash, or put the text in single quotes";
    if (line.value != kNone && s[line.value] == '"') {
      const std::size_t close = ClosingQuote(s, line.value, line.end);
      if (close != kNone) {
        // Single quotes keep backslashes as they are.
        std::string inner = s.substr(line.value + 1, close - line.value - 1);
        std::string single = "'";
        for (char c : inner) single += c == '\'' ? std::string("''") : std::string(1, c);
        x.replacement = single + "'" + s.substr(close + 1, line.end - close - 1);
        x.line = line;
      }
    }
    return x;
  }

  // The value on the error's line, or on the line before when the parser
  // only noticed at the start of the next one.
  const bool noticed_late = msg == YAML::ErrorMsg::END_OF_MAP ||
                            msg == YAML::ErrorMsg::END_OF_SEQ ||
                            msg == YAML::ErrorMsg::END_OF_MAP_FLOW ||
                            msg == YAML::ErrorMsg::END_OF_SEQ_FLOW || at <= line.content;
  if (std::optional<Explanation> v = ExplainValue(s, line, msg, at)) return *v;
  if (noticed_late && near.size() > 1) {
    if (std::optional<Explanation> v = ExplainValue(s, near[1], msg, at)) return *v;
  }

  if (msg == YAML::ErrorMsg::END_OF_MAP_FLOW || msg == YAML::ErrorMsg::END_OF_SEQ_FLOW) {
    const char open = msg == YAML::ErrorMsg::END_OF_MAP_FLOW ? '{' : '[';
    const char close = open == '{' ? '}' : ']';
    // The last bracket before the error that nothing closes; brackets in
    // comments do not count.
    int depth = 0;
    std::size_t comment = kNone;  // where the comment of the line being walked starts
    std::size_t walked_line = kNone;
    for (std::size_t i = at; i-- > 0;) {
      if (const std::size_t ls = LineStart(s, i); ls != walked_line) {
        walked_line = ls;
        comment = CommentStart(s, ls);
      }
      if (comment != kNone && i >= comment) continue;
      if (s[i] == close) ++depth;
      if (s[i] != open) continue;
      if (depth > 0) {
        --depth;
        continue;
      }
      x.offset = i;
      x.line = ShapeAt(s, LineStart(s, i));
      if (std::optional<Explanation> c = CommentHidesClose(s, x.line, open)) return *c;
      x.message = std::string("this `") + open + "` is never closed with `" + close +
                  "`; close it on its line, or, if it is part of a text, put the text in quotes";
      return x;
    }
  }
  if (msg == YAML::ErrorMsg::MAP_VALUE && !line.key.empty()) {
    std::optional<Shape> prev = PreviousLine(s, line_start);
    x.offset = line.content;
    x.message =
        "`" + line.key + ":` is not lined up with the line above it" +
        (prev ? " (line " +
                    std::to_string(std::count(s.begin(), s.begin() + prev->start, '\n') + 1) + ")"
              : "") +
        "; the keys of one mapping must start in the same column";
    return x;
  }
  if (msg == YAML::ErrorMsg::END_OF_MAP || msg == YAML::ErrorMsg::END_OF_SEQ ||
      msg == YAML::ErrorMsg::MAP_VALUE || msg == YAML::ErrorMsg::BLOCK_ENTRY) {
    // A plain text cut by ` #` cannot go on to the next line.
    if (near.size() > 1 && near[1].value != kNone) {
      const std::string v(s, near[1].value, near[1].end - near[1].value);
      const std::size_t hash = v.find(" #");
      if (hash != kNone && v[0] != '"' && v[0] != '\'') {
        x.offset = near[1].value + hash + 1;
        x.line = near[1];
        x.message =
            "YAML reads this ` #` as the start of a comment, so the text above stops "
            "here and the next line does not fit; put the whole text in quotes";
        return x;
      }
    }
    x.offset = line.content;
    x.message =
        "this line is not lined up with the lines above it: the keys of one mapping "
        "start in the same column, and so do the `- ` items of one list";
    return x;
  }
  if (msg == YAML::ErrorMsg::UNKNOWN_TOKEN) {
    x.message =
        "YAML does not expect this character here; if it is part of a text, put the text "
        "in quotes";
    return x;
  }
  if (msg == YAML::ErrorMsg::UNKNOWN_ANCHOR) {
    x.message =
        "YAML reads `*` at the start of a value as a reference to an anchor (`&name`), "
        "and there is none by this name; if it is part of a text, put the text in quotes";
    return x;
  }
  x.message = "this is not valid YAML (" + msg + "); check the indentation and the quotes";
  return x;
}

// yaml-cpp 0.7's LoadAll never returns on a document holding a `,` outside
// any [ ] or { } (a file that is just ",", or "- a\n,b"): its parser yields an
// empty document without consuming the comma, forever, and the list of
// documents grows until memory runs out. This pass over the parser's events
// (no nodes built) finds a document that starts where the one before it
// started, the parser's sign of going nowhere, and says where.
class DocumentStarts : public YAML::EventHandler {
 public:
  int start = -1;
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark.pos; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Where LoadAll would stall, or nullopt. Throws what the parser throws.
std::optional<std::size_t> StallsAt(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  int previous = -1;
  for (;;) {
    DocumentStarts events;
    if (!parser.HandleNextDocument(events)) return std::nullopt;
    if (events.start >= 0 && events.start == previous) {
      return static_cast<std::size_t>(events.start);
    }
    previous = events.start;
  }
}

}  // namespace

ParsedYaml ParseYaml(std::string text, std::size_t max_repairs) {
  ParsedYaml out;
  out.source = std::move(text);
  std::set<std::size_t> repaired;  // line starts
  for (;;) {
    try {
      if (std::optional<std::size_t> at = StallsAt(out.source)) {
        // Where the stray `,` is: the first one at or after the stalled start.
        const std::size_t comma = std::min(out.source.find(',', *at), out.source.size());
        out.problems.push_back(
            {LineColAt(out.source, comma),
             "a `,` here is outside any [ ] or { } list, which YAML cannot read; if it is "
             "part of a text, put the text in quotes"});
        out.documents.clear();
        return out;
      }
      out.documents = YAML::LoadAll(out.source);
      return out;
    } catch (const YAML::DeepRecursion& e) {
      std::size_t at = e.mark.pos < 0 ? 0 : static_cast<std::size_t>(e.mark.pos);
      out.problems.push_back({LineColAt(out.source, std::min(at, out.source.size())),
                              "the values here nest too deeply (" + std::to_string(e.depth()) +
                                  " levels of `[` or `{`); refusing the file"});
    } catch (const YAML::Exception& e) {
      const Explanation x = Explain(out.source, e.mark, e.msg);
      out.problems.push_back({LineColAt(out.source, x.offset), x.message});
      if (x.replacement && repaired.size() < max_repairs && repaired.insert(x.line.start).second) {
        out.source.replace(x.line.value, x.line.end - x.line.value, *x.replacement);
        continue;
      }
    }
    out.documents.clear();
    return out;
  }
}

}  // namespace herald::calendar
