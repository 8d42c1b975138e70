package dev.llmcompiler.runtime.internal.plan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Reads the syntax of one complete task line, {@code <id>. <tool>(<arguments>)}, into values. It
 * knows nothing of tools or schemas; {@link ArgumentBinder} checks those. Columns in messages are
 * 1-based positions in the line as the planner wrote it.
 *
 * <p>One instance reads one line, once: first {@link #readId()}, then {@link #readCall}.
 */
final class TaskLineParser {
  /** {@link #readId()} when the line starts without an id. */
  static final int NO_ID = -1;

  /** Lists and objects nest at most this deep, so a runaway line cannot overflow the stack. */
  static final int MAX_DEPTH = 64;

  private static final int MAX_ID_DIGITS = 9;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * One argument as written.
   *
   * @param name the parameter name for {@code name=value}, or {@code null} for a positional one
   * @param column where the argument starts
   */
  record Argument(String name, PlanValue value, int column) {}

  /**
   * What the line calls.
   *
   * @param join whether the call is {@code join(...)}, which ends the plan; then there are no
   *     arguments (its own are read by {@link #readJoinArguments})
   */
  record Call(String tool, boolean join, List<Argument> arguments) {}

  /**
   * A reference that must name an earlier task but does not: a whole argument or a braced one.
   *
   * @param column where it is written, or 0 where columns mean nothing (a JSON plan)
   */
  record BadReference(int taskId, String written, int column) {}

  /**
   * The argument being read when a {@link SyntaxError} was thrown: where its repair may start.
   *
   * @param before the arguments read completely before it
   * @param start where the argument starts
   * @param name its name if written {@code name=value} or {@code name: value}, else {@code null}
   * @param valueStart where its value starts (after the name, if it has one)
   */
  record ArgumentInProgress(List<Argument> before, int start, String name, int valueStart) {}

  /** What kind of syntax error a {@link SyntaxError} is, where a repair depends on it. */
  enum Problem {
    /**
     * The call's {@code )} is missing: the line ended with every string, list and object closed.
     */
    UNCLOSED_CALL,
    /** A value is a call, {@code name(...)}; {@link SyntaxError#word()} is the name. */
    NESTED_CALL,
    /** A {@code $} that starts a reference is not followed by a well-formed one. */
    REFERENCE,
    /** Any other. */
    OTHER
  }

  /** The line breaks the plan syntax; the message says where and what was expected. */
  static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Problem problem;
    private final String word;

    SyntaxError(String message) {
      this(message, Problem.OTHER, null);
    }

    SyntaxError(String message, Problem problem, String word) {
      super(message, null, false, false);
      this.problem = problem;
      this.word = word;
    }

    Problem problem() {
      return problem;
    }

    /** The name of a {@link Problem#NESTED_CALL}, or {@code null}. */
    String word() {
      return word;
    }
  }

  private final String line;
  private final boolean lenient;
  private int pos;
  private int depth;
  private String tool = "";
  private boolean backtickedName;

  /**
   * Whether the join {@link #readCall} returned was opened with a backtick, {@code `join(...)`}.
   */
  private boolean joinBacktick;

  /** Where the {@code (} of that join is, or -1 if it has none. */
  private int joinOpen = -1;

  private IntPredicate validTarget = id -> false;
  private final List<BadReference> badReferences = new ArrayList<>();

  /** The arguments read so far, and the one being read, for {@link #inProgress()}. */
  private final List<Argument> argumentsRead = new ArrayList<>();

  private int argumentStart = -1;
  private String argumentName;
  private int valueStart = -1;

  TaskLineParser(String line, int start) {
    this(line, start, false);
  }

  /**
   * @param lenient whether to accept a tool name in backticks, {@code `search`("x")}; {@link
   *     #backtickedName()} then says whether the line had one
   */
  TaskLineParser(String line, int start, boolean lenient) {
    this.line = line;
    this.pos = start;
    this.lenient = lenient;
  }

  /** Whether the tool name was written in backticks of its own, {@code `search`("x")}. */
  boolean backtickedName() {
    return backtickedName;
  }

  /**
   * The argument being read when {@link #readCall} threw, or {@code null} if it threw outside the
   * arguments (in the tool name, or after the closing {@code )}).
   */
  ArgumentInProgress inProgress() {
    return argumentStart < 0
        ? null
        : new ArgumentInProgress(
            List.copyOf(argumentsRead), argumentStart, argumentName, valueStart);
  }

  /** The tool name read so far, or {@code ""}: the best name for a task that failed to parse. */
  String tool() {
    return tool;
  }

  /**
   * References of the line that must be, but are not, earlier tasks; filled by {@link #readCall}.
   */
  List<BadReference> badReferences() {
    return badReferences;
  }

  /**
   * Reads the task id and its separator ({@code 3.}, {@code 3)}, {@code 3:} or {@code 3 }), if the
   * line starts with one.
   *
   * @return the id, or {@link #NO_ID}
   */
  int readId() {
    IdPrefix prefix = idPrefix(line, pos);
    if (prefix == null) {
      return NO_ID;
    }
    if (prefix.digitsEnd() - prefix.digitsStart() > MAX_ID_DIGITS) {
      throw new SyntaxError(
          "the task id "
              + line.substring(prefix.digitsStart(), prefix.digitsEnd())
              + " at column "
              + column(prefix.digitsStart())
              + " is too large; number the tasks 1, 2, 3, ...");
    }
    pos = prefix.end();
    return Integer.parseInt(line, prefix.digitsStart(), prefix.digitsEnd(), 10);
  }

  /**
   * Where a task id is written at the start of a line.
   *
   * @param separator whether a {@code .}, {@code )} or {@code :} follows the digits
   * @param end where the call after the id starts
   */
  record IdPrefix(int digitsStart, int digitsEnd, boolean separator, int end) {}

  /**
   * Reads the id prefix at {@code from}: digits, optionally in markdown bold or after a {@code #}
   * ({@code **3.**}, {@code #3}), then {@code .}, {@code )}, {@code :} or nothing, then spaces.
   *
   * @return the prefix, or {@code null} if there are no digits
   */
  static IdPrefix idPrefix(CharSequence text, int from) {
    int i = from;
    while (i < text.length() && (text.charAt(i) == '*' || text.charAt(i) == '#')) {
      i++;
    }
    int digitsStart = i;
    while (i < text.length() && isDigit(text.charAt(i))) {
      i++;
    }
    if (i == digitsStart) {
      return null;
    }
    int digitsEnd = i;
    i = skipSpaces(text, skipStars(text, i));
    boolean separator = i < text.length() && ".):".indexOf(text.charAt(i)) >= 0;
    if (separator) {
      i++;
    }
    return new IdPrefix(digitsStart, digitsEnd, separator, skipSpaces(text, skipStars(text, i)));
  }

  private static int skipStars(CharSequence text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) == '*') {
      i++;
    }
    return i;
  }

  static int skipSpaces(CharSequence text, int from) {
    int i = from;
    while (i < text.length() && isSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * Reads {@code tool(arguments)} and what may follow it on the line (a {@code ;}, a {@code #} or
   * {@code //} comment).
   *
   * @param validTarget which task ids a reference in this task may name
   */
  Call readCall(IntPredicate validTarget) {
    this.validTarget = validTarget;
    boolean backtick = consume('`');
    int nameStart = pos;
    while (pos < line.length() && isToolNameChar(line.charAt(pos))) {
      pos++;
    }
    if (pos == nameStart) {
      throw new SyntaxError(
          "expected a tool call such as tool(arguments) at column "
              + column(nameStart)
              + ", but found "
              + found(nameStart)
              + "; write each task as <id>. <tool>(<arguments>)");
    }
    String name = line.substring(nameStart, pos);
    if (backtick && lenient && pos < line.length() && line.charAt(pos) == '`') {
      // `search`("x"): the backticks hold only the name.
      pos++;
      backtick = false;
      backtickedName = true;
    }
    int afterName = pos;
    skipSpaces();
    if (name.equalsIgnoreCase("join") && (pos >= line.length() || line.charAt(pos) == '`')) {
      tool = name;
      return new Call(name, true, List.of());
    }
    if (!consume('(')) {
      throw new SyntaxError(
          "expected '(' after the tool name '"
              + name
              + "' at column "
              + column(afterName)
              + ", but found "
              + found(pos)
              + "; write each task as <id>. <tool>(<arguments>)");
    }
    tool = name;
    if (name.equalsIgnoreCase("join")) {
      // Its arguments, a direct answer, are read by readJoinArguments: they never fail the line.
      joinBacktick = backtick;
      joinOpen = pos - 1;
      return new Call(name, true, List.of());
    }
    List<Argument> arguments = readArguments(pos - 1);
    readCallEnd(backtick);
    return new Call(name, false, arguments);
  }

  /**
   * After {@link #readCall} returned a join: reads its arguments as any call's, and what may follow
   * them on the line. References are checked as in {@link #readCall}, into {@link #badReferences}.
   *
   * @throws SyntaxError if the arguments or the text after them break the plan syntax
   */
  List<Argument> readJoinArguments(IntPredicate validTarget) {
    skipSpaces();
    if (joinOpen < 0 || pos >= line.length()) {
      // A bare join, or one cut off right after its '(': nothing was meant as an answer.
      return List.of();
    }
    this.validTarget = validTarget;
    List<Argument> arguments = readArguments(joinOpen);
    readCallEnd(joinBacktick);
    return arguments;
  }

  /** Reads what may follow a call's {@code )}: a closing backtick, a {@code ;}, a comment. */
  private void readCallEnd(boolean backtick) {
    if (backtick) {
      consume('`');
    }
    skipSpaces();
    consume(';');
    skipSpaces();
    if (pos < line.length() && !line.startsWith("#", pos) && !line.startsWith("//", pos)) {
      throw new SyntaxError(
          "unexpected text after the closing ')' at column "
              + column(pos)
              + ": "
              + found(pos)
              + "; write one task per line, and comments after '#'");
    }
  }

  private List<Argument> readArguments(int open) {
    List<Argument> arguments = argumentsRead;
    while (true) {
      skipSpaces();
      if (pos >= line.length()) {
        throw unclosedCall(open);
      }
      if (line.charAt(pos) == ')') {
        pos++;
        return List.copyOf(arguments);
      }
      argumentStart = pos;
      argumentName = null;
      valueStart = pos;
      Argument argument = readArgument();
      skipSpaces();
      if (pos >= line.length()) {
        throw unclosedCall(open);
      }
      char c = line.charAt(pos);
      if (c == ',') {
        pos++;
        arguments.add(argument);
        argumentStart = -1;
      } else if (c == ')') {
        pos++;
        arguments.add(argument);
        argumentStart = -1;
        return List.copyOf(arguments);
      } else {
        String hint =
            "+-*/%".indexOf(c) >= 0
                ? "; to compute with results, pass the expression to a tool as text, e.g. math(\"$1 + $2\")"
                : "; separate arguments with ',' and quote text";
        throw new SyntaxError(
            "expected ',' or ')' after the argument at column "
                + column(pos)
                + ", but found "
                + found(pos)
                + hint);
      }
    }
  }

  private SyntaxError unclosedCall(int open) {
    return new SyntaxError(
        "the call to "
            + tool
            + " opened at column "
            + column(open)
            + " is not closed: expected ')' before the task ended; close every bracket you open",
        Problem.UNCLOSED_CALL,
        null);
  }

  private Argument readArgument() {
    int start = pos;
    if (isIdentifierStart(line.charAt(pos))) {
      int end = identifierEnd(pos);
      int after = end;
      while (after < line.length() && isSpace(line.charAt(after))) {
        after++;
      }
      if (after < line.length()) {
        char c = line.charAt(after);
        boolean equals = c == '=' && !(after + 1 < line.length() && line.charAt(after + 1) == '=');
        if (equals || c == ':') {
          String name = line.substring(start, end);
          pos = after + 1;
          skipSpaces();
          argumentName = name;
          valueStart = pos;
          if (pos >= line.length() || line.charAt(pos) == ',' || line.charAt(pos) == ')') {
            throw new SyntaxError(
                "argument '"
                    + name
                    + "' at column "
                    + column(start)
                    + " has no value after '"
                    + c
                    + "'; write "
                    + name
                    + "=<value>");
          }
          return new Argument(name, readValue(), column(start));
        }
      }
    }
    return new Argument(null, readValue(), column(start));
  }

  private PlanValue readValue() {
    skipSpaces();
    if (pos >= line.length()) {
      throw new SyntaxError("expected a value at column " + column(pos) + ", but the line ended");
    }
    char c = line.charAt(pos);
    if (c == '"' || c == '\'') {
      return readString(c);
    }
    if (c == '[') {
      return readList();
    }
    if (c == '{') {
      return readObject();
    }
    if (c == '$') {
      return readWholeReference();
    }
    if (c == '-' || c == '+' || isDigit(c)) {
      return readNumber();
    }
    if (isIdentifierStart(c)) {
      return readWord();
    }
    throw new SyntaxError(
        "unexpected "
            + found(pos)
            + " at column "
            + column(pos)
            + "; expected a value: a quoted string, a number, true, false, null, a list [...],"
            + " an object {...} or a reference such as $1");
  }

  private PlanValue readWord() {
    int start = pos;
    pos = identifierEnd(pos);
    String word = line.substring(start, pos);
    switch (word) {
      case "true":
      case "True":
        return new PlanValue.Literal(NODES.booleanNode(true));
      case "false":
      case "False":
        return new PlanValue.Literal(NODES.booleanNode(false));
      case "null":
      case "None":
        return new PlanValue.Literal(NODES.nullNode());
      default:
        break;
    }
    int after = pos;
    while (after < line.length() && isSpace(line.charAt(after))) {
      after++;
    }
    if (after < line.length() && line.charAt(after) == '(') {
      throw new SyntaxError(
          "nested call "
              + word
              + "(...) at column "
              + column(start)
              + "; a task calls exactly one tool: call "
              + word
              + " in its own task before this one and pass"
              + " its result as $<id>",
          Problem.NESTED_CALL,
          word);
    }
    throw new SyntaxError(
        "unquoted text '"
            + word
            + "' at column "
            + column(start)
            + "; write text in quotes, e.g. \""
            + word
            + "\", and references as $<id>");
  }

  private PlanValue readNumber() {
    int start = pos;
    if (line.charAt(pos) == '-' || line.charAt(pos) == '+') {
      pos++;
    }
    int digits = pos;
    while (pos < line.length() && isDigit(line.charAt(pos))) {
      pos++;
    }
    if (pos == digits) {
      throw new SyntaxError(
          "expected a number after '"
              + line.charAt(start)
              + "' at column "
              + column(start)
              + ", but found "
              + found(pos));
    }
    boolean integral = true;
    if (pos + 1 < line.length() && line.charAt(pos) == '.' && isDigit(line.charAt(pos + 1))) {
      pos++;
      while (pos < line.length() && isDigit(line.charAt(pos))) {
        pos++;
      }
      integral = false;
    }
    if (pos < line.length() && (line.charAt(pos) == 'e' || line.charAt(pos) == 'E')) {
      int exponent = pos + 1;
      if (exponent < line.length()
          && (line.charAt(exponent) == '+' || line.charAt(exponent) == '-')) {
        exponent++;
      }
      if (exponent < line.length() && isDigit(line.charAt(exponent))) {
        pos = exponent;
        while (pos < line.length() && isDigit(line.charAt(pos))) {
          pos++;
        }
        integral = false;
      }
    }
    if (pos < line.length() && (isIdentifierChar(line.charAt(pos)) || line.charAt(pos) == '.')) {
      int end = pos;
      while (end < line.length()
          && (isIdentifierChar(line.charAt(end)) || line.charAt(end) == '.')) {
        end++;
      }
      throw new SyntaxError(
          "invalid number '"
              + line.substring(start, end)
              + "' at column "
              + column(start)
              + "; write numbers like 42, -3.5 or 1e6, and text in quotes");
    }
    String text = line.substring(line.charAt(start) == '+' ? start + 1 : start, pos);
    if (integral) {
      BigInteger value = new BigInteger(text);
      if (value.bitLength() < 32) {
        return new PlanValue.Literal(NODES.numberNode(value.intValue()));
      }
      if (value.bitLength() < 64) {
        return new PlanValue.Literal(NODES.numberNode(value.longValue()));
      }
      return new PlanValue.Literal(NODES.numberNode(value));
    }
    double value = Double.parseDouble(text);
    if (Double.isInfinite(value)) {
      throw new SyntaxError("the number " + text + " at column " + column(start) + " is too large");
    }
    return new PlanValue.Literal(NODES.numberNode(value));
  }

  /**
   * Text as it is read, split where references are: a {@link PlanValue.Literal} string if it holds
   * none, else a {@link PlanValue.Template}.
   */
  private static final class TextWithReferences {
    final StringBuilder text = new StringBuilder();
    private List<Object> parts;

    void reference(PlanValue.Reference reference) {
      if (parts == null) {
        parts = new ArrayList<>();
      }
      if (text.length() > 0) {
        parts.add(text.toString());
        text.setLength(0);
      }
      parts.add(reference);
    }

    PlanValue value() {
      if (parts == null) {
        return new PlanValue.Literal(NODES.textNode(text.toString()));
      }
      if (text.length() > 0) {
        parts.add(text.toString());
      }
      return new PlanValue.Template(parts);
    }
  }

  private PlanValue readString(char quote) {
    int start = pos;
    pos++;
    TextWithReferences read = new TextWithReferences();
    while (true) {
      if (pos >= line.length()) {
        throw unterminatedString(start, quote);
      }
      char c = line.charAt(pos);
      if (c == quote) {
        pos++;
        break;
      }
      if (c == '\\') {
        readEscape(read.text, start, quote);
        continue;
      }
      if (c == '$') {
        PlanValue.Reference reference = readReferenceInString();
        if (reference != null) {
          read.reference(reference);
          continue;
        }
      }
      read.text.append(c);
      pos++;
    }
    return read.value();
  }

  /**
   * Reads the rest of the line as text that may hold references, as inside a string but without
   * quotes: unquoted text a repair takes as a string, or the value of a JSON string. Only {@code
   * \$} is an escape (a plain {@code $}); references to tasks that do not exist are text, as in
   * strings.
   *
   * @return a {@link PlanValue.Literal} string, or a {@link PlanValue.Template} if it holds
   *     references
   */
  PlanValue readText(IntPredicate validTarget) {
    this.validTarget = validTarget;
    TextWithReferences read = new TextWithReferences();
    while (pos < line.length()) {
      char c = line.charAt(pos);
      if (c == '\\' && pos + 1 < line.length() && line.charAt(pos + 1) == '$') {
        read.text.append('$');
        pos += 2;
        continue;
      }
      if (c == '$') {
        PlanValue.Reference reference = readReferenceInString();
        if (reference != null) {
          read.reference(reference);
          continue;
        }
      }
      read.text.append(c);
      pos++;
    }
    return read.value();
  }

  /**
   * Reads the whole line as one reference, {@code $2}, {@code $2.price} or {@code ${2.items[0]}},
   * checking that it names a task {@code validTarget} allows (else it is in {@link
   * #badReferences}).
   *
   * @return the reference, or {@code null} if the line is not exactly one well-formed reference
   */
  PlanValue.Reference readWholeReference(IntPredicate validTarget) {
    this.validTarget = validTarget;
    if (pos >= line.length() || line.charAt(pos) != '$') {
      return null;
    }
    try {
      PlanValue value = readWholeReference();
      return pos == line.length() ? (PlanValue.Reference) value : null;
    } catch (SyntaxError e) {
      return null;
    }
  }

  /** A string that may not hold references: an object key. */
  private String readPlainString(char quote) {
    int start = pos;
    pos++;
    StringBuilder text = new StringBuilder();
    while (true) {
      if (pos >= line.length()) {
        throw unterminatedString(start, quote);
      }
      char c = line.charAt(pos);
      if (c == quote) {
        pos++;
        return text.toString();
      }
      if (c == '\\') {
        readEscape(text, start, quote);
      } else {
        text.append(c);
        pos++;
      }
    }
  }

  private SyntaxError unterminatedString(int start, char quote) {
    return new SyntaxError(
        "unterminated string starting at column "
            + column(start)
            + "; close it with "
            + quote
            + " on the same line (write a line break inside a string as \\n)");
  }

  private void readEscape(StringBuilder text, int stringStart, char quote) {
    int at = pos;
    pos++;
    if (pos >= line.length()) {
      throw unterminatedString(stringStart, quote);
    }
    char e = line.charAt(pos++);
    switch (e) {
      case 'n':
        text.append('\n');
        break;
      case 't':
        text.append('\t');
        break;
      case 'r':
        text.append('\r');
        break;
      case 'b':
        text.append('\b');
        break;
      case 'f':
        text.append('\f');
        break;
      case '"':
      case '\'':
      case '\\':
      case '/':
      case '$':
      case '`':
        text.append(e);
        break;
      case 'u':
        text.append((char) readHex(at, 4));
        break;
      case 'x':
        text.append((char) readHex(at, 2));
        break;
      default:
        // Unknown escapes stay as written, as in Python: "C:\data" keeps its backslash.
        text.append('\\').append(e);
    }
  }

  private int readHex(int escapeStart, int digits) {
    if (pos + digits > line.length()) {
      throw badEscape(escapeStart, digits);
    }
    int value = 0;
    for (int i = 0; i < digits; i++) {
      int digit = Character.digit(line.charAt(pos + i), 16);
      if (digit < 0) {
        throw badEscape(escapeStart, digits);
      }
      value = value * 16 + digit;
    }
    pos += digits;
    return value;
  }

  private SyntaxError badEscape(int escapeStart, int digits) {
    String example = digits == 4 ? "\\u00e9" : "\\xe9";
    return new SyntaxError(
        "invalid escape "
            + found(escapeStart)
            + " at column "
            + column(escapeStart)
            + "; write "
            + example.substring(0, 2)
            + " followed by "
            + digits
            + " hex digits, e.g. "
            + example);
  }

  /**
   * At a {@code $} inside a string: reads a reference, or returns {@code null} (position unchanged)
   * when the text is not one: {@code $} without digits, a money amount such as {@code $1.50} or
   * {@code $1,000}, or a bare {@code $N} that names no earlier task (e.g. "costs $100").
   */
  private PlanValue.Reference readReferenceInString() {
    int start = pos;
    if (pos + 1 < line.length() && line.charAt(pos + 1) == '{') {
      int digits = pos + 2;
      while (digits < line.length() && isSpace(line.charAt(digits))) {
        digits++;
      }
      if (digits >= line.length() || !isDigit(line.charAt(digits))) {
        return null;
      }
      return readBracedReference();
    }
    if (pos + 1 >= line.length() || !isDigit(line.charAt(pos + 1))) {
      return null;
    }
    pos++;
    int id = readReferenceId();
    boolean money =
        pos + 1 < line.length()
            && (line.charAt(pos) == '.' || line.charAt(pos) == ',')
            && isDigit(line.charAt(pos + 1));
    if (money || id < 0 || !validTarget.test(id)) {
      pos = start;
      return null;
    }
    return new PlanValue.Reference(id, readBarePath());
  }

  private PlanValue readWholeReference() {
    int start = pos;
    PlanValue.Reference reference;
    if (pos + 1 < line.length() && line.charAt(pos + 1) == '{') {
      reference = readBracedReference();
    } else if (pos + 1 < line.length() && isDigit(line.charAt(pos + 1))) {
      pos++;
      int id = readReferenceId();
      reference = new PlanValue.Reference(id, readBarePath());
      checkTarget(reference, start);
    } else {
      throw new SyntaxError(
          "'$' at column "
              + column(start)
              + " must be followed by a task id, e.g. $2, $2.price or ${2.items[0].name}",
          Problem.REFERENCE,
          null);
    }
    return reference;
  }

  /**
   * Reads {@code ${N}} or {@code ${N.path}} at {@code pos}; it must be well formed and name a known
   * task.
   */
  private PlanValue.Reference readBracedReference() {
    int start = pos;
    pos += 2;
    skipSpaces();
    if (pos >= line.length() || !isDigit(line.charAt(pos))) {
      throw new SyntaxError(
          "'${' at column " + column(start) + " must be followed by a task id, e.g. ${2}",
          Problem.REFERENCE,
          null);
    }
    int id = readReferenceId();
    List<Object> path = new ArrayList<>();
    while (pos < line.length()) {
      char c = line.charAt(pos);
      if (c == '.') {
        pos++;
        int nameStart = pos;
        while (pos < line.length() && isToolNameChar(line.charAt(pos))) {
          pos++;
        }
        if (pos == nameStart) {
          throw badBracedReference(start);
        }
        String name = line.substring(nameStart, pos);
        path.add(
            isAllDigits(name) && name.length() <= MAX_ID_DIGITS
                ? (Object) Integer.valueOf(name)
                : name);
      } else if (c == '[') {
        path.add(readBracketStep(start));
      } else {
        break;
      }
    }
    skipSpaces();
    if (pos >= line.length() || line.charAt(pos) != '}') {
      throw badBracedReference(start);
    }
    pos++;
    PlanValue.Reference reference = new PlanValue.Reference(Math.max(id, 0), path);
    if (id < 0) {
      badReferences.add(new BadReference(id, line.substring(start, pos), column(start)));
    } else {
      checkTarget(reference, start);
    }
    return reference;
  }

  private Object readBracketStep(int referenceStart) {
    pos++;
    skipSpaces();
    Object step;
    if (pos < line.length() && (line.charAt(pos) == '"' || line.charAt(pos) == '\'')) {
      step = readPlainString(line.charAt(pos));
    } else {
      int digitsStart = pos;
      while (pos < line.length() && isDigit(line.charAt(pos))) {
        pos++;
      }
      if (pos == digitsStart || pos - digitsStart > MAX_ID_DIGITS) {
        throw new SyntaxError(
            "invalid index in the reference at column "
                + column(referenceStart)
                + ": write [0], [1], ... (counting from 0; negative indexes are not supported) or [\"field\"]",
            Problem.REFERENCE,
            null);
      }
      step = Integer.parseInt(line, digitsStart, pos, 10);
    }
    skipSpaces();
    if (pos >= line.length() || line.charAt(pos) != ']') {
      throw new SyntaxError(
          "the index in the reference at column "
              + column(referenceStart)
              + " is not closed; write it as [0]",
          Problem.REFERENCE,
          null);
    }
    pos++;
    return step;
  }

  private SyntaxError badBracedReference(int start) {
    int end = Math.min(line.length(), start + 40);
    return new SyntaxError(
        "malformed reference '"
            + line.substring(start, end)
            + "' at column "
            + column(start)
            + "; write ${2}, ${2.price} or ${2.items[0].name} and close it with '}'",
        Problem.REFERENCE,
        null);
  }

  /**
   * The path after a bare {@code $N}: {@code .field} (a letter or '_' first) and {@code [index]}
   * steps.
   */
  private List<Object> readBarePath() {
    List<Object> path = new ArrayList<>();
    while (pos + 1 < line.length()) {
      char c = line.charAt(pos);
      if (c == '.' && isIdentifierStart(line.charAt(pos + 1))) {
        int end = identifierEnd(pos + 1);
        path.add(line.substring(pos + 1, end));
        pos = end;
      } else if (c == '[' && isDigit(line.charAt(pos + 1))) {
        int end = pos + 1;
        while (end < line.length() && isDigit(line.charAt(end))) {
          end++;
        }
        if (end >= line.length() || line.charAt(end) != ']' || end - pos - 1 > MAX_ID_DIGITS) {
          break;
        }
        path.add(Integer.parseInt(line, pos + 1, end, 10));
        pos = end + 1;
      } else {
        break;
      }
    }
    return path;
  }

  /** Reads the digits of a referenced id at {@code pos}; -1 if there are too many to be an id. */
  private int readReferenceId() {
    int start = pos;
    while (pos < line.length() && isDigit(line.charAt(pos))) {
      pos++;
    }
    return pos - start > MAX_ID_DIGITS ? -1 : Integer.parseInt(line, start, pos, 10);
  }

  private void checkTarget(PlanValue.Reference reference, int start) {
    if (!validTarget.test(reference.taskId())) {
      badReferences.add(
          new BadReference(reference.taskId(), line.substring(start, pos), column(start)));
    }
  }

  /**
   * After an element of a {@code kind} ("list" or "object") opened at {@code open}: skips a comma,
   * or stops before the closing {@code close}; anything else is a syntax error.
   */
  private void skipComma(String kind, int open, char close) {
    skipSpaces();
    if (pos >= line.length()) {
      throw unclosed(kind, open, close);
    }
    char c = line.charAt(pos);
    if (c == ',') {
      pos++;
    } else if (c != close) {
      throw new SyntaxError(
          "expected ',' or '"
              + close
              + "' at column "
              + column(pos)
              + " in the "
              + kind
              + " opened at column "
              + column(open)
              + ", but found "
              + found(pos));
    }
  }

  private PlanValue readList() {
    int open = pos;
    enter(open);
    pos++;
    List<PlanValue> elements = new ArrayList<>();
    boolean literal = true;
    while (true) {
      skipSpaces();
      if (pos >= line.length()) {
        throw unclosed("list", open, ']');
      }
      if (line.charAt(pos) == ']') {
        pos++;
        break;
      }
      PlanValue element = readValue();
      literal &= element instanceof PlanValue.Literal;
      elements.add(element);
      skipComma("list", open, ']');
    }
    depth--;
    if (!literal) {
      return new PlanValue.ListValue(elements);
    }
    ArrayNode array = NODES.arrayNode(elements.size());
    for (PlanValue element : elements) {
      array.add(((PlanValue.Literal) element).value());
    }
    return new PlanValue.Literal(array);
  }

  private PlanValue readObject() {
    int open = pos;
    enter(open);
    pos++;
    Map<String, PlanValue> fields = new LinkedHashMap<>();
    boolean literal = true;
    while (true) {
      skipSpaces();
      if (pos >= line.length()) {
        throw unclosed("object", open, '}');
      }
      char c = line.charAt(pos);
      if (c == '}') {
        pos++;
        break;
      }
      int keyStart = pos;
      String key;
      if (c == '"' || c == '\'') {
        key = readPlainString(c);
      } else if (isIdentifierStart(c)) {
        int end = pos;
        while (end < line.length() && isToolNameChar(line.charAt(end))) {
          end++;
        }
        key = line.substring(pos, end);
        pos = end;
      } else {
        throw new SyntaxError(
            "expected a key at column "
                + column(pos)
                + " in the object opened at column "
                + column(open)
                + ", but found "
                + found(pos)
                + "; write {\"key\": value}");
      }
      skipSpaces();
      if (pos >= line.length() || line.charAt(pos) != ':') {
        throw new SyntaxError(
            "expected ':' after the key '"
                + key
                + "' at column "
                + column(keyStart)
                + ", but found "
                + found(pos)
                + "; write {\"key\": value}");
      }
      pos++;
      skipSpaces();
      if (fields.containsKey(key)) {
        throw new SyntaxError(
            "duplicate key '"
                + key
                + "' at column "
                + column(keyStart)
                + " in the object opened at column "
                + column(open)
                + "; give each key once");
      }
      PlanValue value = readValue();
      literal &= value instanceof PlanValue.Literal;
      fields.put(key, value);
      skipComma("object", open, '}');
    }
    depth--;
    if (!literal) {
      return new PlanValue.ObjectValue(fields);
    }
    ObjectNode object = NODES.objectNode();
    fields.forEach((key, value) -> object.set(key, ((PlanValue.Literal) value).value()));
    return new PlanValue.Literal(object);
  }

  private void enter(int open) {
    if (++depth > MAX_DEPTH) {
      throw new SyntaxError(
          "lists and objects are nested more than "
              + MAX_DEPTH
              + " levels deep at column "
              + column(open)
              + "; pass such data from a tool result by reference instead");
    }
  }

  private SyntaxError unclosed(String what, int open, char close) {
    return new SyntaxError(
        "the "
            + what
            + " opened at column "
            + column(open)
            + " is not closed: expected '"
            + close
            + "' before the task ended; close every bracket you open");
  }

  private boolean consume(char c) {
    if (pos < line.length() && line.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void skipSpaces() {
    while (pos < line.length() && isSpace(line.charAt(pos))) {
      pos++;
    }
  }

  private int identifierEnd(int from) {
    int end = from;
    while (end < line.length() && isIdentifierChar(line.charAt(end))) {
      end++;
    }
    return end;
  }

  /**
   * Describes the text at {@code at} for a message: a short quoted excerpt, or "the end of the
   * line".
   */
  private String found(int at) {
    if (at >= line.length()) {
      return "the end of the line";
    }
    int end = Math.min(line.length(), at + 20);
    return "'" + line.substring(at, end) + (end < line.length() ? "...'" : "'");
  }

  private static int column(int index) {
    return index + 1;
  }

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\u00a0' || Character.isWhitespace(c);
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  static boolean isIdentifierChar(char c) {
    return isIdentifierStart(c) || isDigit(c);
  }

  /** Characters of a tool name, as {@link dev.llmcompiler.runtime.ToolDescriptor} allows them. */
  static boolean isToolNameChar(char c) {
    return isIdentifierChar(c) || c == '-';
  }

  private static boolean isAllDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!isDigit(text.charAt(i))) {
        return false;
      }
    }
    return !text.isEmpty();
  }
}
