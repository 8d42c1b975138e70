package dev.llmcompiler.runtime.internal.plan;

import dev.llmcompiler.runtime.ToolDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a plan as it streams: fed arbitrary pieces of text, it emits each task the moment its line
 * is complete. See the plan language in DESIGN.md.
 *
 * <pre>{@code
 * PlanParser parser = new PlanParser(toolsByName, 1, Set.of(), listener);
 * llm.chat(request, parser::feed).thenRun(parser::finish);
 * }</pre>
 *
 * <p>Not thread-safe: feed it from one thread at a time (the {@link
 * dev.llmcompiler.runtime.llm.LlmClient} contract guarantees that for stream callbacks).
 *
 * <h2>When things are emitted</h2>
 *
 * <ul>
 *   <li>A task is emitted when its line ends: at {@code \n}, {@code \r\n} or a lone {@code \r}
 *       (a chunk may end between {@code \r} and {@code \n}), or at {@link #finish()} for a last line
 *       without a line break. A task whose brackets are still open at the end of its line goes
 *       on over the next lines and is emitted at the end of the line that closes them.
 *   <li>The plan ends ({@link PlanListener#onPlanEnd} is called, exactly once) the moment the
 *       closing {@code )} of a {@code join()} line is read (joinSeen {@code true}); at a line
 *       {@code join(...)} with arguments, when it ends (true); the moment {@code <END_OF_PLAN>} is
 *       read anywhere, even inside a string, after emitting the text before it on its line as a
 *       line (false unless that text is a join); or at {@link #finish()} (false). Everything
 *       after the end is ignored, and {@link #feed} does nothing.
 *   <li>Work is linear in the input: only the current line is kept, each character is looked at
 *       a bounded number of times, and a line longer than {@value #MAX_LINE_LENGTH} characters is
 *       not kept but emitted as a failed task.
 * </ul>
 *
 * <h2>Lines</h2>
 *
 * Leading spaces and one bullet ({@code -}, {@code *}, {@code +} or {@code •} followed by a space)
 * are skipped; then a line is one of:
 *
 * <ul>
 *   <li><b>blank</b>, or a markdown code fence ({@code ```} or {@code ~~~}, with or without a
 *       language): ignored.
 *   <li><b>a thought</b>: {@code Thought: text} (any case, optionally numbered {@code Thought 2:}).
 *       The text is attached to the next task; several thought lines are joined with a line break.
 *   <li><b>join</b>: {@code join()} or {@code 4. join()} (any case, spaces allowed, optionally in
 *       backticks, also {@code join} alone or with arguments): ends the plan. A tool named {@code
 *       join} cannot be called.
 *   <li><b>a task</b>: {@code <id><sep> <tool>(<arguments>)} where {@code <sep>} is {@code .},
 *       {@code )}, {@code :} or nothing ({@code 3 search("x")}); the id may be in markdown bold
 *       ({@code **3.**}) or after a {@code #}; the call may be wrapped in backticks and followed
 *       by {@code ;} and by a comment starting with {@code #} or {@code //}. While brackets
 *       ({@code ( [ {}) are open outside strings at the end of a line, the call goes on over the
 *       next lines (as models write big objects), up to {@value #MAX_TASK_LINES} lines; a blank,
 *       task, thought, join or fence line or the end of the plan cuts it off, and it fails as not
 *       closed. Strings do not go on over lines. A line starting with an id is always a task
 *       line: if the rest does not parse, it is a failed task ({@code 3. search("x)} fails with
 *       "unterminated string starting at column 11", {@code 3. search("x"} with "the call to
 *       search opened at column 10 is not closed").
 *   <li><b>a call without an id</b>: a line starting with {@code tool(}, or a line ending with
 *       {@code )} that calls a known tool after other text ({@code Action: search("x")}, {@code
 *       Step 2: search("x")}), is a failed task numbered one more than the last id (ids are how
 *       later tasks refer to a task, so one is never guessed).
 *   <li><b>prose</b>, anything else: before the first task or thought (e.g. "Here is the plan:")
 *       it is ignored; after that it is added to the pending thought, so it is not lost.
 * </ul>
 *
 * <h2>Arguments</h2>
 *
 * <ul>
 *   <li>Positional ({@code search("x")}, mapped to the parameters in declaration order) and named,
 *       {@code name=value} or {@code name: value}; positional ones first. Trailing commas are
 *       fine. A single object argument whose keys are all parameter names, to a tool whose first
 *       parameter does not take an object, is read as named arguments: {@code search({"query":
 *       "x"})}.
 *   <li>Values: strings in {@code "double"} or {@code 'single'} quotes with escapes {@code \n \t
 *       \r \b \f \" \' \\ \/ \$ \xXX}, <code>&#92;uXXXX</code> (other escapes are kept as written); numbers ({@code
 *       42}, {@code -3.5}, {@code 1e6}, {@code +2}); {@code true false null} and Python's {@code
 *       True False None}; lists {@code [...]} and objects {@code {...}} (keys quoted or bare
 *       identifiers), nested up to {@value TaskLineParser#MAX_DEPTH} levels.
 *   <li>References: {@code $N}, {@code ${N}}, with a field path {@code $N.price}, {@code
 *       $N.items[0]}, {@code ${N.items[0].name}}, {@code ${N["a key"]}}. Digits are read
 *       greedily, so {@code $1} never matches inside {@code $12}. A reference written as a value
 *       (also inside lists and objects) is a {@link PlanValue.Reference} and passes the result
 *       with its JSON type; inside a string it makes the string a {@link PlanValue.Template},
 *       rendered as text. {@code "$1"} alone, for a parameter that does not accept a string, is
 *       taken as the reference itself. A reference may name a task of this plan with a smaller id
 *       that was already emitted (even a failed one) or an id in {@code earlierIds}. Inside a
 *       string, {@code $N} naming no such task, a money amount ({@code $1.50}, {@code $1,000})
 *       and {@code \$} are plain text; a braced {@code ${N}} or a value reference naming no such
 *       task fails the task.
 * </ul>
 *
 * <h2>Failed tasks</h2>
 *
 * Nothing the planner wrote as a task is dropped, and {@link #feed} and {@link #finish} never
 * throw: a task that cannot run is emitted with {@link PlannedTask#error()} saying what is wrong,
 * where, and what to write instead. Reasons: a syntax error (with the column), an id that is
 * missing, below {@code firstId}, repeated or not larger than the previous one, an unknown tool
 * (naming the closest tool), too many positional arguments, an unknown, repeated or missing
 * required argument, a positional argument after a named one, a literal whose top-level JSON type
 * or {@code enum} value does not fit the parameter's schema ({@code 2.5} is not an integer), a
 * reference to a missing or later task, and a line over the length limit. A failed task keeps
 * the id written on its line, or gets one more than the last id.
 */
public final class PlanParser {

  /** Lines longer than this many characters are not kept; they become failed tasks. */
  public static final int MAX_LINE_LENGTH = 64 * 1024;

  /** The marker that ends a plan's stream; the planner asks for it and stops the model at it. */
  public static final String END_OF_PLAN = "<END_OF_PLAN>";

  private static final String END_MARKER = END_OF_PLAN;
  private static final int MAX_THOUGHT_LENGTH = 64 * 1024;
  /** {@code join()} lines are short: longer lines are not checked for one before they end. */
  private static final int JOIN_SCAN_LIMIT = 256;
  private static final int SHOWN_LINE_LENGTH = 200;
  /** A task spread over lines may take at most this many (and {@link #MAX_LINE_LENGTH} characters). */
  static final int MAX_TASK_LINES = 200;

  private final Map<String, ToolDescriptor> tools;
  private final int firstId;
  private final Set<Integer> earlierIds;
  private final PlanListener listener;

  private final StringBuilder line = new StringBuilder();
  private int lineLength;
  private boolean skipLineFeed;
  private int markerMatched;
  private boolean ended;
  private boolean joinRead;

  /** A task line whose brackets are still open, waiting for the lines that close them. */
  private final StringBuilder openTask = new StringBuilder();
  private int openDepth;
  private int openLines;
  /** The number (from 1) of the line being read. */
  private int lineNumber = 1;
  /** The number of the first line of the open task. */
  private int openTaskLineNumber;
  /** The number of the first line of the text being processed: the line a task is reported on. */
  private int taskLineNumber;
  /** The number of the line that held {@code join()}, or -1. */
  private int joinLineNumber = -1;

  private final StringBuilder thought = new StringBuilder();
  private boolean planStarted;
  private int lastId;
  private final Set<Integer> emittedIds = new HashSet<>();

  /**
   * @param tools the tools a task may call, by name
   * @param firstId the lowest id this plan's tasks may have: 1 for the first round, one more than
   *     the highest earlier id for a replan
   * @param earlierIds ids of tasks of earlier rounds that finished with a result, which this plan
   *     may reference
   * @param listener receives the tasks and the end of the plan
   */
  public PlanParser(
      Map<String, ToolDescriptor> tools, int firstId, Set<Integer> earlierIds, PlanListener listener) {
    if (firstId < 1) {
      throw new IllegalArgumentException("firstId must be at least 1, but was " + firstId);
    }
    this.tools = new LinkedHashMap<>(Objects.requireNonNull(tools, "tools"));
    this.firstId = firstId;
    this.earlierIds = Set.copyOf(Objects.requireNonNull(earlierIds, "earlierIds"));
    this.listener = Objects.requireNonNull(listener, "listener");
    this.lastId = firstId - 1;
  }

  /**
   * Reads a whole plan at once: the one way to parse a plan that is not streaming (build-time
   * checks of {@code @PlanExample}s, a ReAct action).
   *
   * @return every task in plan order, whether the plan held {@code join()} and on which line, and
   *     the text after the plan's end, which the runtime never reads
   */
  public static ParsedPlan parse(
      String plan, Map<String, ToolDescriptor> tools, int firstId, Set<Integer> earlierIds) {
    List<PlannedTask> tasks = new ArrayList<>();
    boolean[] joined = new boolean[1];
    PlanParser parser = new PlanParser(tools, firstId, earlierIds, new PlanListener() {
      @Override
      public void onTask(PlannedTask task) {
        tasks.add(task);
      }

      @Override
      public void onPlanEnd(boolean joinSeen) {
        joined[0] = joinSeen;
      }
    });
    int consumed = parser.feedCounting(plan);
    if (parser.skipLineFeed && consumed < plan.length() && plan.charAt(consumed) == '\n') {
      consumed++; // the rest of a \r\n that ended the plan's last line
    }
    int restLine = parser.lineNumber;
    parser.finish();
    return new ParsedPlan(tasks, joined[0], parser.joinLineNumber, plan.substring(consumed), restLine);
  }

  /**
   * A whole plan as {@link #parse} read it.
   *
   * @param tasks every task, failed ones included, in plan order
   * @param joinSeen whether the plan held {@code join()}
   * @param joinLineNumber the number (from 1) of the line that held {@code join()}, or -1
   * @param rest the text after the end of the plan ({@code join()} or {@code <END_OF_PLAN>}),
   *     which the runtime ignores; {@code ""} if there is none
   * @param restLineNumber the number of the line {@code rest} starts on
   */
  public record ParsedPlan(
      List<PlannedTask> tasks, boolean joinSeen, int joinLineNumber, String rest, int restLineNumber) {
    public ParsedPlan {
      tasks = List.copyOf(tasks);
    }
  }

  /** Reads the next piece of the plan; it may end anywhere, mid-token or mid-line. */
  public void feed(CharSequence text) {
    feedCounting(text);
  }

  /** {@link #feed}, returning how many characters were read before the plan ended. */
  private int feedCounting(CharSequence text) {
    int length = text.length();
    int i = 0;
    for (; i < length && !ended; i++) {
      char c = text.charAt(i);
      if (skipLineFeed) {
        skipLineFeed = false;
        if (c == '\n') {
          continue;
        }
      }
      if (c == '\n' || c == '\r') {
        skipLineFeed = c == '\r';
        endLine();
        continue;
      }
      lineLength++;
      if (lineLength <= MAX_LINE_LENGTH) {
        line.append(c);
      }
      markerMatched = c == END_MARKER.charAt(markerMatched) ? markerMatched + 1 : (c == '<' ? 1 : 0);
      if (markerMatched == END_MARKER.length()) {
        endAtMarker();
      } else if (c == ')' && lineLength <= JOIN_SCAN_LIMIT && isJoinCall(line)) {
        joinLineNumber = lineNumber;
        end(true);
      }
    }
    return i;
  }

  /**
   * The stream is over: reads a last line without line break, then ends the plan (calling {@link
   * PlanListener#onPlanEnd} if it was not called yet). Further input is ignored.
   */
  public void finish() {
    if (ended) {
      return;
    }
    endLine();
    if (!ended) {
      end(false);
    }
  }

  private void endAtMarker() {
    if (lineLength <= MAX_LINE_LENGTH) {
      line.setLength(line.length() - END_MARKER.length());
      lineLength = line.length();
    }
    endLine();
    if (!ended) {
      end(false);
    }
  }

  private void endLine() {
    String text = line.toString();
    int length = lineLength;
    int number = lineNumber++;
    line.setLength(0);
    lineLength = 0;
    markerMatched = 0;
    if (length > MAX_LINE_LENGTH) {
      flushOpenTask();
      taskLineNumber = number;
      emit(tooLong(text, length));
      return;
    }
    if (openTask.length() > 0) {
      if (continuesOpenTask(text)) {
        openTask.append('\n').append(text);
        openDepth = bracketDepth(text, 0, openDepth);
        if (openDepth <= 0) {
          String task = openTask.toString();
          openTask.setLength(0);
          if (process(task, openTaskLineNumber)) {
            end(true);
          }
        }
        return;
      }
      flushOpenTask();
    }
    int start = skipBullet(text, skipSpaces(text, 0));
    if (startsTask(text, start)) {
      int depth = bracketDepth(text, start, 0);
      if (depth > 0) {
        // Brackets still open, outside any string: the call may go on over the next lines.
        openTask.append(text);
        openDepth = depth;
        openLines = 1;
        openTaskLineNumber = number;
        return;
      }
    }
    if (process(text, number)) {
      end(true);
    }
  }

  /**
   * Reads a complete line (or a task spread over lines) and emits its task, if it has one.
   *
   * @param number the number of the text's first line
   * @return whether the line was a join
   */
  private boolean process(String text, int number) {
    joinRead = false;
    taskLineNumber = number;
    PlannedTask task;
    try {
      task = readLine(text);
    } catch (RuntimeException e) {
      // A defect here must not lose the line or break the stream: report it as a failed task.
      task = failed(lastId + 1, "", takeThought(), text,
          "this line could not be read (" + e + "); rewrite it as <id>. <tool>(<arguments>)");
    }
    if (task != null) {
      emit(task);
      return false;
    }
    return joinRead;
  }

  /** Whether {@code text} goes on with the open task: not a task, thought, join, fence or blank line. */
  private boolean continuesOpenTask(String text) {
    int start = skipBullet(text, skipSpaces(text, 0));
    if (start == text.length() || text.startsWith("```", start) || text.startsWith("~~~", start)
        || thoughtTextStart(text, start) >= 0 || startsTask(text, start)
        || text.substring(start).strip().equalsIgnoreCase("join")) {
      return false;
    }
    if (openLines >= MAX_TASK_LINES || openTask.length() + 1 + text.length() > MAX_LINE_LENGTH) {
      return false;
    }
    openLines++;
    return true;
  }

  /** Reads the open task as it is (it fails, being unclosed), if there is one. */
  private boolean flushOpenTask() {
    if (openTask.length() == 0) {
      return false;
    }
    String task = openTask.toString();
    openTask.setLength(0);
    return process(task, openTaskLineNumber);
  }

  /**
   * The bracket depth ({@code ( [ {} against {@code ) ] }}) after reading {@code text} from
   * {@code from}, starting at {@code depth}; brackets inside strings do not count. 0 if the text
   * ends inside a string: strings do not go on over lines, so that line is complete (and fails).
   */
  private static int bracketDepth(String text, int from, int depth) {
    char quote = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      }
    }
    return quote != 0 ? 0 : depth;
  }

  private void end(boolean joinSeen) {
    boolean joined = flushOpenTask() || joinSeen;
    ended = true;
    line.setLength(0);
    thought.setLength(0);
    listener.onPlanEnd(joined);
  }

  /**
   * Reads one complete line, keeping thoughts and noting a join.
   *
   * @return the task the line holds, or {@code null} for a line without one
   */
  private PlannedTask readLine(String text) {
    int start = skipBullet(text, skipSpaces(text, 0));
    if (start == text.length() || text.startsWith("```", start) || text.startsWith("~~~", start)) {
      return null;
    }
    int thoughtText = thoughtTextStart(text, start);
    if (thoughtText >= 0) {
      planStarted = true;
      addThought(text.substring(thoughtText).strip());
      return null;
    }
    if (text.substring(start).strip().equalsIgnoreCase("join")) {
      joinRead = true;
      joinLineNumber = taskLineNumber;
      return null;
    }
    if (startsTask(text, start)) {
      planStarted = true;
      return readTask(text, start);
    }
    String tool = calledTool(text, start);
    if (tool != null) {
      planStarted = true;
      int id = lastId + 1;
      return failed(id, tool, takeThought(), text, "the line `" + shorten(text) + "` calls " + tool
          + " but does not start with a task id; write each task on its own line as <id>. <tool>(<arguments>),"
          + " here " + id + ". " + tool + "(...).");
    }
    if (planStarted) {
      addThought(text.strip());
    }
    return null;
  }

  private PlannedTask readTask(String text, int start) {
    TaskLineParser parser = new TaskLineParser(text, start);
    int written;
    try {
      written = parser.readId();
    } catch (TaskLineParser.SyntaxError e) {
      return failed(lastId + 1, "", takeThought(), text, unreadable(text, e));
    }
    int id = written == TaskLineParser.NO_ID ? lastId + 1 : written;
    TaskLineParser.Call call;
    try {
      call = parser.readCall(target -> isTarget(target, id));
    } catch (TaskLineParser.SyntaxError e) {
      return failed(id, parser.tool(), takeThought(), text, unreadable(text, e));
    }
    if (call.join()) {
      joinRead = true;
      joinLineNumber = taskLineNumber;
      return null;
    }
    String idProblem = written == TaskLineParser.NO_ID
        ? "the task has no id; write it as " + id + ". " + call.tool() + "(...), numbering tasks in order"
        : idProblem(id);
    if (idProblem != null) {
      return failed(id, call.tool(), takeThought(), text, idProblem + ".");
    }
    ToolDescriptor tool = tools.get(call.tool());
    if (tool == null) {
      return failed(id, call.tool(), takeThought(), text, unknownTool(call.tool()));
    }
    if (!parser.badReferences().isEmpty()) {
      return failed(id, call.tool(), takeThought(), text, badReference(parser.badReferences().get(0), id));
    }
    ArgumentBinder.Bound bound = ArgumentBinder.bind(tool, call.arguments());
    if (bound.error() != null) {
      return failed(id, call.tool(), takeThought(), text, bound.error());
    }
    return PlannedTask.of(id, call.tool(), bound.arguments(), takeThought(), text, taskLineNumber);
  }

  /**
   * The known tool a prose line calls, as in {@code Action: search("x")} or {@code Step 1:
   * search("x")}: a tool name followed by {@code (}, on a line that ends with {@code )}. Such a line
   * is a task the planner wrote in a form this parser does not take, so it must not pass silently.
   */
  private String calledTool(String text, int start) {
    int end = text.length();
    while (end > start && (TaskLineParser.isSpace(text.charAt(end - 1)) || text.charAt(end - 1) == ';'
        || text.charAt(end - 1) == '`')) {
      end--;
    }
    if (end == start || text.charAt(end - 1) != ')') {
      return null;
    }
    int i = start;
    while (i < end) {
      if (!TaskLineParser.isToolNameChar(text.charAt(i))) {
        i++;
        continue;
      }
      int nameStart = i;
      while (i < end && TaskLineParser.isToolNameChar(text.charAt(i))) {
        i++;
      }
      int open = TaskLineParser.skipSpaces(text, i);
      if (open < end && text.charAt(open) == '(' && tools.containsKey(text.substring(nameStart, i))) {
        return text.substring(nameStart, i);
      }
    }
    return null;
  }

  private PlannedTask tooLong(String kept, int length) {
    TaskLineParser parser = new TaskLineParser(kept, skipBullet(kept, skipSpaces(kept, 0)));
    int id = lastId + 1;
    try {
      int written = parser.readId();
      if (written != TaskLineParser.NO_ID) {
        id = written;
      }
      // Only to learn the tool's name for the trace: the kept part of the line is cut off anyway.
      parser.readCall(target -> false);
    } catch (TaskLineParser.SyntaxError e) {
      // Expected: the line was cut at the limit.
    }
    planStarted = true;
    return failed(id, parser.tool(), takeThought(), kept.substring(0, SHOWN_LINE_LENGTH) + "...",
        "the line is " + length + " characters long, more than the limit of " + MAX_LINE_LENGTH
            + "; keep each task on a short line and pass large data by reference ($N) instead of"
            + " writing it into the plan.");
  }

  /** A syntax error's message, with the line it is about: the trace shows errors without their lines. */
  private static String unreadable(String text, TaskLineParser.SyntaxError error) {
    return "cannot read the task line `" + shorten(text) + "`: " + error.getMessage() + ".";
  }

  private static String shorten(String text) {
    String shown = text.strip().replaceAll("\\s*\\R\\s*", " ");
    return shown.length() > 120 ? shown.substring(0, 117) + "..." : shown;
  }

  private String idProblem(int id) {
    if (id < firstId) {
      return firstId == 1
          ? "task ids start at 1; number the tasks 1, 2, 3, ..."
          : "the id " + id + " is below " + firstId + ", the first id of this plan: earlier rounds used ids up to "
              + (firstId - 1) + ", so number this plan's tasks from " + firstId + " on";
    }
    if (emittedIds.contains(id)) {
      return "the id " + id + " is used twice; give each task a new id, larger than " + lastId;
    }
    if (id <= lastId) {
      return "the id " + id + " comes after task " + lastId + "; ids must increase from line to line, so use "
          + (lastId + 1);
    }
    return null;
  }

  private boolean isTarget(int referenced, int taskId) {
    return (referenced < taskId && emittedIds.contains(referenced)) || earlierIds.contains(referenced);
  }

  private String unknownTool(String name) {
    List<String> names = new ArrayList<>(tools.keySet());
    if (names.isEmpty()) {
      return "unknown tool '" + name + "'; no tools are available, so the question must be answered without them.";
    }
    String closest = NameSuggestions.closest(name, names);
    return "unknown tool '" + name + "'" + (closest == null ? "; available" : "; did you mean '" + closest
        + "'? Available") + " tools: " + String.join(", ", names) + ".";
  }

  private String badReference(TaskLineParser.BadReference reference, int taskId) {
    Set<Integer> available = new TreeSet<>(earlierIds);
    for (int id : emittedIds) {
      if (id < taskId) {
        available.add(id);
      }
    }
    String where = "references " + reference.written() + " at column " + reference.column();
    String fix = "; a task can only use results of tasks listed before it.";
    if (reference.taskId() < firstId && reference.taskId() >= 1) {
      return where + ", a task of an earlier round that has no result; use only results that exist ("
          + (available.isEmpty() ? "none" : "tasks " + ranges(available)) + ") or run the task again in this plan.";
    }
    if (available.isEmpty()) {
      return where + ", but no task exists before it" + fix;
    }
    return where + ", but only " + (available.size() == 1 ? "task " : "tasks ") + ranges(available)
        + (available.size() == 1 ? " exists" : " exist") + " so far" + fix;
  }

  /** "1-3, 5, 7-9" for sorted ids. */
  private static String ranges(Set<Integer> sorted) {
    StringBuilder text = new StringBuilder();
    int from = -1;
    int to = -1;
    for (int id : sorted) {
      if (from >= 0 && id == to + 1) {
        to = id;
        continue;
      }
      appendRange(text, from, to);
      from = id;
      to = id;
    }
    appendRange(text, from, to);
    return text.toString();
  }

  private static void appendRange(StringBuilder text, int from, int to) {
    if (from < 0) {
      return;
    }
    if (text.length() > 0) {
      text.append(", ");
    }
    text.append(from);
    if (to > from) {
      text.append('-').append(to);
    }
  }

  private void emit(PlannedTask task) {
    if (task.error() == null || idProblem(task.id()) == null) {
      emittedIds.add(task.id());
    }
    lastId = Math.max(lastId, task.id());
    listener.onTask(task);
  }

  private PlannedTask failed(int id, String tool, String thought, String text, String error) {
    return PlannedTask.failed(id, tool, thought, text, taskLineNumber, error);
  }

  private void addThought(String text) {
    if (text.isEmpty() || thought.length() >= MAX_THOUGHT_LENGTH) {
      return;
    }
    if (thought.length() > 0) {
      thought.append('\n');
    }
    thought.append(text, 0, Math.min(text.length(), MAX_THOUGHT_LENGTH - thought.length()));
  }

  private String takeThought() {
    String text = thought.toString();
    thought.setLength(0);
    return text;
  }

  /** Where the text of a {@code Thought:} line starts, or -1 if the line is not one. */
  private static int thoughtTextStart(String text, int start) {
    int i = skipEmphasis(text, start);
    if (!text.regionMatches(true, i, "thought", 0, 7)) {
      return -1;
    }
    i += 7;
    if (i < text.length() && (text.charAt(i) == 's' || text.charAt(i) == 'S')) {
      i++;
    }
    i = skipSpaces(text, i);
    while (i < text.length() && TaskLineParser.isDigit(text.charAt(i))) {
      i++;
    }
    i = skipEmphasis(text, skipSpaces(text, i));
    if (i >= text.length() || text.charAt(i) != ':') {
      return -1;
    }
    return skipEmphasis(text, i + 1);
  }

  /** Skips markdown emphasis, as in {@code **Thought:**}. */
  private static int skipEmphasis(String text, int from) {
    int i = from;
    while (i < text.length() && (text.charAt(i) == '*' || text.charAt(i) == '_')) {
      i++;
    }
    return i;
  }

  /**
   * Whether the line is meant as a task: it starts with an id followed by {@code .}, {@code )} or
   * {@code :} or by a call, or it starts with a call {@code name(}.
   */
  private static boolean startsTask(String text, int start) {
    TaskLineParser.IdPrefix prefix = TaskLineParser.idPrefix(text, start);
    if (prefix != null) {
      return prefix.separator() || (prefix.end() > prefix.digitsEnd() && startsCall(text, prefix.end()));
    }
    return startsCall(text, start);
  }

  private static boolean startsCall(String text, int start) {
    int i = start < text.length() && text.charAt(start) == '`' ? start + 1 : start;
    int nameStart = i;
    while (i < text.length() && TaskLineParser.isToolNameChar(text.charAt(i))) {
      i++;
    }
    if (i == nameStart) {
      return false;
    }
    i = skipSpaces(text, i);
    return i < text.length() && text.charAt(i) == '(';
  }

  /** Whether the line so far is exactly a {@code join()} call, with an optional id and bullet. */
  private static boolean isJoinCall(CharSequence text) {
    int i = skipBullet(text, skipSpaces(text, 0));
    TaskLineParser.IdPrefix prefix = TaskLineParser.idPrefix(text, i);
    if (prefix != null) {
      i = prefix.end();
    }
    if (i < text.length() && text.charAt(i) == '`') {
      i++;
    }
    if (i + 4 > text.length() || !"join".equalsIgnoreCase(text.subSequence(i, i + 4).toString())) {
      return false;
    }
    i = skipSpaces(text, i + 4);
    if (i >= text.length() || text.charAt(i) != '(') {
      return false;
    }
    i = skipSpaces(text, i + 1);
    return i == text.length() - 1 && text.charAt(i) == ')';
  }

  private static int skipSpaces(CharSequence text, int from) {
    return TaskLineParser.skipSpaces(text, from);
  }

  private static int skipBullet(CharSequence text, int from) {
    if (from + 1 < text.length() && "-*+\u2022".indexOf(text.charAt(from)) >= 0
        && TaskLineParser.isSpace(text.charAt(from + 1))) {
      return skipSpaces(text, from + 1);
    }
    return from;
  }
}
