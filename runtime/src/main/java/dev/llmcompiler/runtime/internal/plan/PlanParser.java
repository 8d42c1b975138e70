package dev.llmcompiler.runtime.internal.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.internal.JsonSchemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a plan as it streams: fed arbitrary pieces of text, it emits each task the moment its line
 * is complete. The plan language is described in {@code docs/contracts.md}.
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
 *       join} cannot be called. {@code join("The ratio is ${6}")}, one string argument ({@code
 *       'single'} quotes too, or named {@code answer}) whose references name tasks read so far, is a
 *       direct answer ({@link PlanListener#onDirectAnswer}); other arguments (two, a number, a
 *       reference to a task that does not exist, a syntax error) end the plan all the same and are
 *       reported as a {@link DirectAnswer} with the problem. {@code join("")} is a plain join.
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
 *       {@code )} that calls a known tool after other text ({@code Action: search("x")}, or {@code
 *       Step 2: search("x")} when repairs are off), is an {@linkplain PlannedTask#UNNUMBERED
 *       unnumbered} failed task: ids are how later tasks refer to a task, so one is never guessed,
 *       and the planner's own next task keeps its id.
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
 * <h2>Repairs</h2>
 *
 * Models, the paper's own few-shot prompts among them, write lines that a strict reading rejects
 * but that can only mean one thing. Unless repairs are off ({@link #PlanParser(Map, int, Set,
 * PlanListener, boolean)}), such a line is read as meant and every repair is noted in {@link
 * PlannedTask#repairs()}. A line is repaired only when its strict reading fails and the repaired
 * reading passes every check; otherwise it fails with the strict reading's message.
 *
 * <ul>
 *   <li><b>Unquoted text</b> for a string parameter: {@code search(Rosetta)} is {@code
 *       search("Rosetta")}. The text runs from the argument to the call's closing {@code )} (the
 *       last one on the line) or to the end of the line; its brackets must balance, and it must not
 *       start like a call of a known tool. It goes to the tool's one required string parameter or
 *       its last string parameter; if it holds a {@code ,} a later parameter could have been meant,
 *       so it is taken only for the tool's last parameter. {@code $N} in it stays a reference, as
 *       in a string: {@code math(max($2, $4))}.
 *   <li><b>A missing final {@code )}</b> at the end of a one-line task whose strings, lists and
 *       objects are closed and whose last argument is complete (the line does not end with
 *       {@code ,}): {@code math("x", ["$1"]}. Such a line waits, like any open call, for the next
 *       line to show that the call does not go on.
 *   <li><b>A label before the id</b>: {@code Task 2:} or {@code Step 2:} followed by a call is task
 *       2 (the label carries its own id; none is ever guessed).
 *   <li><b>A tool name in backticks</b> of its own: {@code 2. `search`("x")}.
 *   <li><b>What surrounds a plan</b>: lines of only {@code #}, {@code -}, {@code *}, {@code _} or
 *       {@code =} ({@code ###}, {@code ---}) are ignored like blank lines, and a {@code Question:}
 *       line after the first task ends the plan (the model went on to invent the next question).
 *       No task changes, so these leave no note; the round's plan text shows them.
 * </ul>
 *
 * A context list of references in strings, {@code math("...", ["$1", "$2"])}, needs no repair: a
 * reference inside a string is rendered as text, so each element is the text of its result.
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
 * reference to a missing or later task, an id that jumps far ahead, and a line over the length
 * limit. A failed task keeps the id written on its line; one without a usable written id is
 * {@linkplain PlannedTask#UNNUMBERED unnumbered}, so it never takes an id the planner may still
 * use. An over-long thought or prose line is cut and kept as the thought, not made a task.
 */
public final class PlanParser implements PlanReader {

  /** Lines longer than this many characters are not kept; they become failed tasks. */
  public static final int MAX_LINE_LENGTH = 64 * 1024;

  /** The marker that ends a plan's stream; the planner asks for it and stops the model at it. */
  public static final String END_OF_PLAN = "<END_OF_PLAN>";

  private static final String END_MARKER = END_OF_PLAN;
  private static final int MAX_THOUGHT_LENGTH = 64 * 1024;

  /** {@code join()} lines are short: longer lines are not checked for one before they end. */
  private static final int JOIN_SCAN_LIMIT = 256;

  private static final int SHOWN_LINE_LENGTH = 200;

  /**
   * A task spread over lines may take at most this many (and {@link #MAX_LINE_LENGTH} characters).
   */
  static final int MAX_TASK_LINES = 200;

  private final Map<String, ToolDescriptor> tools;
  private final TaskChecks checks;
  private final PlanListener listener;
  private final boolean repairs;

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

  /** The answer in the arguments of the join read last, or {@code null}. */
  private DirectAnswer directAnswer;

  private final StringBuilder thought = new StringBuilder();
  private boolean planStarted;

  /** Whether a task was emitted: from then on a {@code Question:} line ends the plan. */
  private boolean taskSeen;

  /** A parser that repairs what it can (see the class comment). */
  public PlanParser(
      Map<String, ToolDescriptor> tools,
      int firstId,
      Set<Integer> earlierIds,
      PlanListener listener) {
    this(tools, firstId, earlierIds, listener, true);
  }

  /**
   * @param tools the tools a task may call, by name
   * @param firstId the lowest id this plan's tasks may have: 1 for the first round, one more than
   *     the highest earlier id for a replan
   * @param earlierIds ids of tasks of earlier rounds that finished with a result, which this plan
   *     may reference
   * @param listener receives the tasks and the end of the plan
   * @param repairs whether to repair lines a model clearly meant (see the class comment); {@code
   *     false} reads every line strictly as the plan language says
   */
  public PlanParser(
      Map<String, ToolDescriptor> tools,
      int firstId,
      Set<Integer> earlierIds,
      PlanListener listener,
      boolean repairs) {
    this.checks = new TaskChecks(tools, firstId, earlierIds);
    this.tools = new LinkedHashMap<>(tools);
    this.listener = Objects.requireNonNull(listener, "listener");
    this.repairs = repairs;
  }

  /** {@link #parse(String, Map, int, Set, boolean)} with repairs. */
  public static ParsedPlan parse(
      String plan, Map<String, ToolDescriptor> tools, int firstId, Set<Integer> earlierIds) {
    return parse(plan, tools, firstId, earlierIds, true);
  }

  /**
   * Reads a whole plan at once: the one way to parse a plan that is not streaming (build-time
   * checks of {@code @PlanExample}s, a ReAct action).
   *
   * @param repairs whether to repair lines a model clearly meant; {@code false} is the strict plan
   *     language
   * @return every task in plan order, whether the plan held {@code join()} and on which line, its
   *     direct answer, and the text after the plan's end, which the runtime never reads
   */
  public static ParsedPlan parse(
      String plan,
      Map<String, ToolDescriptor> tools,
      int firstId,
      Set<Integer> earlierIds,
      boolean repairs) {
    List<PlannedTask> tasks = new ArrayList<>();
    boolean[] joined = new boolean[1];
    DirectAnswer[] answer = new DirectAnswer[1];
    PlanParser parser =
        new PlanParser(
            tools,
            firstId,
            earlierIds,
            new PlanListener() {
              @Override
              public void onTask(PlannedTask task) {
                tasks.add(task);
              }

              @Override
              public void onDirectAnswer(DirectAnswer direct) {
                answer[0] = direct;
              }

              @Override
              public void onPlanEnd(boolean joinSeen) {
                joined[0] = joinSeen;
              }

              @Override
              public void onPlanError(String error) {
                // A text plan has no error beyond its failed tasks.
              }
            },
            repairs);
    int consumed = parser.feedCounting(plan);
    if (parser.skipLineFeed && consumed < plan.length() && plan.charAt(consumed) == '\n') {
      consumed++; // the rest of a \r\n that ended the plan's last line
    }
    int restLine = parser.lineNumber;
    parser.finish();
    return new ParsedPlan(
        tasks, joined[0], parser.joinLineNumber, plan.substring(consumed), restLine, answer[0]);
  }

  /**
   * A whole plan as {@link #parse} read it.
   *
   * @param tasks every task, failed ones included, in plan order
   * @param joinSeen whether the plan held {@code join()}
   * @param joinLineNumber the number (from 1) of the line that held {@code join()}, or -1
   * @param rest the text after the end of the plan ({@code join()} or {@code <END_OF_PLAN>}), which
   *     the runtime ignores; {@code ""} if there is none
   * @param restLineNumber the number of the line {@code rest} starts on
   * @param directAnswer the answer in the join's arguments, {@code join("...")}, or {@code null}
   */
  public record ParsedPlan(
      List<PlannedTask> tasks,
      boolean joinSeen,
      int joinLineNumber,
      String rest,
      int restLineNumber,
      DirectAnswer directAnswer) {
    public ParsedPlan {
      tasks = List.copyOf(tasks);
    }
  }

  /** Reads the next piece of the plan; it may end anywhere, mid-token or mid-line. */
  @Override
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
      markerMatched =
          c == END_MARKER.charAt(markerMatched) ? markerMatched + 1 : (c == '<' ? 1 : 0);
      if (markerMatched == END_MARKER.length()) {
        endAtMarker();
      } else if (c == ')' && lineLength <= JOIN_SCAN_LIMIT && isJoinCall(line)) {
        joinLineNumber = lineNumber;
        end(true);
      }
    }
    return i;
  }

  @Override
  public int lastId() {
    return checks.lastId();
  }

  /**
   * The stream is over: reads a last line without line break, then ends the plan (calling {@link
   * PlanListener#onPlanEnd} if it was not called yet). Further input is ignored.
   */
  @Override
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
      PlannedTask task = tooLong(text, length);
      if (task != null) {
        emit(task);
      }
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
      if (flushOpenTask()) {
        // The open task was a join cut off by this line: the plan ended there.
        end(true);
        return;
      }
    }
    int start = skipBullet(text, skipSpaces(text, 0));
    if (repairs && taskSeen && isQuestion(text, start)) {
      // The model went on to a next question of its few-shot examples: the plan is over.
      end(false);
      return;
    }
    int taskStart = taskStart(text, start);
    if (taskStart >= 0) {
      int depth = bracketDepth(text, taskStart, 0);
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
      task =
          failed(
              PlannedTask.UNNUMBERED,
              "",
              takeThought(),
              text,
              "this line could not be read (" + e + "); rewrite it as <id>. <tool>(<arguments>)");
    }
    if (task != null) {
      emit(task);
      return false;
    }
    return joinRead;
  }

  /**
   * Whether {@code text} goes on with the open task: not a task, thought, join, fence, separator,
   * question or blank line.
   */
  private boolean continuesOpenTask(String text) {
    int start = skipBullet(text, skipSpaces(text, 0));
    if (start == text.length()
        || text.startsWith("```", start)
        || text.startsWith("~~~", start)
        || thoughtTextStart(text, start) >= 0
        || taskStart(text, start) >= 0
        || text.substring(start).strip().equalsIgnoreCase("join")
        || (repairs && (isSeparator(text) || isQuestion(text, start)))) {
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
   * The bracket depth ({@code ( [ {} against {@code ) ] }}) after reading {@code text} from {@code
   * from}, starting at {@code depth}; brackets inside strings do not count. 0 if the text ends
   * inside a string: strings do not go on over lines, so that line is complete (and fails).
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
    if (joined && directAnswer != null) {
      listener.onDirectAnswer(directAnswer);
    }
    listener.onPlanEnd(joined);
  }

  /**
   * Reads one complete line, keeping thoughts and noting a join.
   *
   * @return the task the line holds, or {@code null} for a line without one
   */
  private PlannedTask readLine(String text) {
    int start = skipBullet(text, skipSpaces(text, 0));
    if (start == text.length()
        || text.startsWith("```", start)
        || text.startsWith("~~~", start)
        || (repairs && isSeparator(text))) {
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
    int taskStart = taskStart(text, start);
    if (taskStart >= 0) {
      planStarted = true;
      List<String> notes = new ArrayList<>(2);
      if (taskStart > start) {
        TaskLineParser.IdPrefix prefix = TaskLineParser.idPrefix(text, taskStart);
        notes.add(
            "read the label \""
                + text.substring(start, prefix.end()).strip()
                + "\" as task "
                + text.substring(prefix.digitsStart(), prefix.digitsEnd()));
      }
      PlannedTask task = readTask(text, taskStart, notes);
      // A task without a written id fails (it says which id to write); it takes none of the ids.
      return task != null && TaskLineParser.idPrefix(text, taskStart) == null
          ? task.unnumbered()
          : task;
    }
    String tool = calledTool(text, start);
    if (tool != null) {
      planStarted = true;
      int id = checks.lastId() + 1;
      return failed(
          PlannedTask.UNNUMBERED,
          tool,
          takeThought(),
          text,
          "the line `"
              + shorten(text)
              + "` calls "
              + tool
              + " but does not start with a task id; write each task on its own line as <id>. <tool>(<arguments>),"
              + " here "
              + id
              + ". "
              + tool
              + "(...).");
    }
    if (planStarted) {
      addThought(text.strip());
    }
    return null;
  }

  private PlannedTask readTask(String text, int start, List<String> notes) {
    String thought = takeThought();
    TaskLineParser parser = new TaskLineParser(text, start, repairs);
    int written;
    try {
      written = parser.readId();
    } catch (TaskLineParser.SyntaxError e) {
      return failed(PlannedTask.UNNUMBERED, "", thought, text, unreadable(text, e), notes);
    }
    int id = written == TaskLineParser.NO_ID ? checks.lastId() + 1 : written;
    // "%s" is the tool's name, known once the call is read.
    String idProblem =
        written == TaskLineParser.NO_ID
            ? "the task has no id; write it as " + id + ". %s(...), numbering tasks in order"
            : null;
    TaskLineParser.Call call;
    try {
      call = parser.readCall(target -> checks.isTarget(target, id));
    } catch (TaskLineParser.SyntaxError e) {
      PlannedTask repaired =
          repairs ? repair(text, start, id, idProblem, parser, e, thought, notes) : null;
      return repaired != null
          ? repaired
          : failed(id, parser.tool(), thought, text, unreadable(text, e), notes);
    }
    if (call.join()) {
      joinRead = true;
      joinLineNumber = taskLineNumber;
      directAnswer = readDirectAnswer(parser, text);
      return null;
    }
    if (parser.backtickedName()) {
      notes.add(backtickNote(call.tool()));
    }
    return checks.check(
        id,
        idProblem == null ? null : String.format(idProblem, call.tool()),
        call.tool(),
        call.arguments(),
        parser.badReferences(),
        thought,
        text,
        taskLineNumber,
        notes);
  }

  /** The direct answer in a join's arguments, or {@code null} for a plain {@code join()}. */
  private DirectAnswer readDirectAnswer(TaskLineParser parser, String text) {
    List<TaskLineParser.Argument> arguments;
    try {
      // The join comes after every task read so far, so it may reference any of them.
      arguments = parser.readJoinArguments(target -> checks.isTarget(target, Integer.MAX_VALUE));
    } catch (TaskLineParser.SyntaxError e) {
      return DirectAnswer.unusable(
          "cannot read the answer in `"
              + shorten(text)
              + "`: "
              + e.getMessage()
              + "; write the answer as one string, join(\"...\").",
          text);
    }
    return checks.directAnswer(arguments, parser.badReferences(), text);
  }

  private static String backtickNote(String tool) {
    return "read the tool name in backticks, `" + tool + "`, as " + tool;
  }

  /**
   * Repairs a line whose strict reading failed with {@code error}: a missing final {@code )}, or
   * unquoted text for a string parameter (see the class comment).
   *
   * @return the repaired task if it passes every check, else {@code null}: the strict error stands
   */
  private PlannedTask repair(
      String text,
      int start,
      int id,
      String idProblem,
      TaskLineParser strict,
      TaskLineParser.SyntaxError error,
      String thought,
      List<String> notes) {
    if (text.indexOf('\n') >= 0) {
      // Repairs are for one line; a call over several lines was written with care, or cut off.
      return null;
    }
    if (error.problem() == TaskLineParser.Problem.UNCLOSED_CALL) {
      if (endsWithComma(text)) {
        return null;
      }
      TaskLineParser closed = new TaskLineParser(text + ")", start, true);
      TaskLineParser.Call call;
      try {
        closed.readId();
        call = closed.readCall(target -> checks.isTarget(target, id));
      } catch (TaskLineParser.SyntaxError e) {
        return null;
      }
      List<String> repaired = new ArrayList<>(notes);
      if (closed.backtickedName()) {
        repaired.add(backtickNote(call.tool()));
      }
      repaired.add("added the missing ')' at the end of the line");
      return passed(
          id,
          idProblem,
          call.tool(),
          call.arguments(),
          closed.badReferences(),
          thought,
          text,
          repaired);
    }
    ToolDescriptor tool = tools.get(strict.tool());
    TaskLineParser.ArgumentInProgress argument = strict.inProgress();
    if (argument == null
        || tool == null
        || error.problem() == TaskLineParser.Problem.REFERENCE
        || (error.problem() == TaskLineParser.Problem.NESTED_CALL
            && tools.containsKey(error.word()))) {
      // A malformed reference was meant as one, and a known tool's call as a call: neither is text.
      return null;
    }
    return unquoted(text, tool, id, idProblem, strict, argument, thought, notes);
  }

  /**
   * Reads the argument in progress, and everything after it up to the call's end, as one string, if
   * it can only be meant that way.
   */
  private PlannedTask unquoted(
      String text,
      ToolDescriptor tool,
      int id,
      String idProblem,
      TaskLineParser strict,
      TaskLineParser.ArgumentInProgress argument,
      String thought,
      List<String> notes) {
    char first = text.charAt(argument.valueStart());
    if (first == '"' || first == '\'' || first == '[' || first == '{') {
      return null;
    }
    List<String> names = tool.parameterNames();
    boolean named = argument.name() != null && names.contains(argument.name());
    String parameter;
    int from;
    if (named) {
      parameter = argument.name();
      from = argument.valueStart();
    } else {
      // A positional argument, or "Mission: Impossible" read as a name that is no parameter.
      for (TaskLineParser.Argument before : argument.before()) {
        if (before.name() != null) {
          return null;
        }
      }
      if (argument.before().size() >= names.size()) {
        return null;
      }
      parameter = names.get(argument.before().size());
      from = argument.start();
    }
    int end = text.length();
    while (end > from
        && (TaskLineParser.isSpace(text.charAt(end - 1))
            || text.charAt(end - 1) == ';'
            || text.charAt(end - 1) == '`')) {
      end--;
    }
    boolean closed = end > from && text.charAt(end - 1) == ')';
    int to = closed ? end - 1 : end;
    while (to > from && TaskLineParser.isSpace(text.charAt(to - 1))) {
      to--;
    }
    boolean last = parameter.equals(names.get(names.size() - 1));
    if (to == from
        || (!closed && endsWithComma(text))
        || !balanced(text, from, to)
        || !takesUnquotedText(tool, parameter)
        || (!last && hasTopLevelComma(text, from, to))
        || namedArgumentAfterComma(text, from, to)) {
      return null;
    }
    TaskLineParser reader = new TaskLineParser(text.substring(0, to), from);
    PlanValue value;
    try {
      value = reader.readText(target -> checks.isTarget(target, id));
    } catch (TaskLineParser.SyntaxError e) {
      return null;
    }
    List<TaskLineParser.Argument> arguments = new ArrayList<>(argument.before());
    arguments.add(new TaskLineParser.Argument(named ? parameter : null, value, from + 1));
    List<TaskLineParser.BadReference> bad = new ArrayList<>(strict.badReferences());
    bad.addAll(reader.badReferences());
    List<String> repaired = new ArrayList<>(notes);
    if (strict.backtickedName()) {
      repaired.add(backtickNote(tool.name()));
    }
    repaired.add("read unquoted text as the string " + value.toPlanText());
    if (!closed) {
      repaired.add("added the missing ')' at the end of the line");
    }
    return passed(id, idProblem, tool.name(), arguments, bad, thought, text, repaired);
  }

  /** The checked task if it passes every check, else {@code null}. */
  private PlannedTask passed(
      int id,
      String idProblem,
      String tool,
      List<TaskLineParser.Argument> arguments,
      List<TaskLineParser.BadReference> badReferences,
      String thought,
      String text,
      List<String> repaired) {
    PlannedTask task =
        checks.check(
            id,
            idProblem == null ? null : String.format(idProblem, tool),
            tool,
            arguments,
            badReferences,
            thought,
            text,
            taskLineNumber,
            repaired);
    return task.error() == null ? task : null;
  }

  /**
   * Whether unquoted text can only mean a string for this parameter: it takes a string, and it is
   * the tool's one required string parameter or its last string parameter.
   */
  private static boolean takesUnquotedText(ToolDescriptor tool, String parameter) {
    JsonNode properties = tool.parameters().path("properties");
    if (!JsonSchemas.acceptsType(tool.parameters(), properties.path(parameter), "string")) {
      return false;
    }
    if (tool.requiredParameters().size() == 1 && tool.requiredParameters().contains(parameter)) {
      return true;
    }
    String last = null;
    for (String name : tool.parameterNames()) {
      if (JsonSchemas.acceptsType(tool.parameters(), properties.path(name), "string")) {
        last = name;
      }
    }
    return parameter.equals(last);
  }

  /**
   * Whether the text's brackets balance, quotes aside (unquoted text has apostrophes: Arthur's).
   */
  private static boolean balanced(String text, int from, int to) {
    int depth = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if ((c == ')' || c == ']' || c == '}') && --depth < 0) {
        return false;
      }
    }
    return depth == 0;
  }

  private static boolean hasTopLevelComma(String text, int from, int to) {
    int depth = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code , name=} follows somewhere at the top level: a named argument, not text. */
  private static boolean namedArgumentAfterComma(String text, int from, int to) {
    int depth = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        int j = skipSpaces(text, i + 1);
        int nameStart = j;
        while (j < to && TaskLineParser.isIdentifierChar(text.charAt(j))) {
          j++;
        }
        j = skipSpaces(text, j);
        if (j > nameStart
            && j < to
            && text.charAt(j) == '='
            && (j + 1 >= to || text.charAt(j + 1) != '=')) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the line's last character that is not a space is a comma: an argument was still to
   * come.
   */
  private static boolean endsWithComma(String text) {
    int end = text.length();
    while (end > 0 && TaskLineParser.isSpace(text.charAt(end - 1))) {
      end--;
    }
    return end > 0 && text.charAt(end - 1) == ',';
  }

  /**
   * The known tool a prose line calls, as in {@code Action: search("x")} or {@code Step 1:
   * search("x")}: a tool name followed by {@code (}, on a line that ends with {@code )}. Such a
   * line is a task the planner wrote in a form this parser does not take, so it must not pass
   * silently.
   */
  private String calledTool(String text, int start) {
    int end = text.length();
    while (end > start
        && (TaskLineParser.isSpace(text.charAt(end - 1))
            || text.charAt(end - 1) == ';'
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
      if (open < end
          && text.charAt(open) == '('
          && tools.containsKey(text.substring(nameStart, i))) {
        return text.substring(nameStart, i);
      }
    }
    return null;
  }

  /**
   * A line over the length limit: a failed task with the id it was written with, or {@linkplain
   * PlannedTask#UNNUMBERED unnumbered}; or, for a thought or prose, {@code null} after keeping its
   * start as the thought. Either way it shifts no ids.
   */
  private PlannedTask tooLong(String kept, int length) {
    int start = skipBullet(kept, skipSpaces(kept, 0));
    int thoughtText = thoughtTextStart(kept, start);
    if (thoughtText >= 0 || (!startsTask(kept, start) && !startsCall(kept, start, true))) {
      // Thoughts are capped anyway; prose before the plan is ignored, after it kept as thought.
      if (thoughtText >= 0 || planStarted) {
        addThought(kept.substring(thoughtText >= 0 ? thoughtText : start).strip());
      }
      return null;
    }
    TaskLineParser parser = new TaskLineParser(kept, start);
    int id = PlannedTask.UNNUMBERED;
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
    return failed(
        id,
        parser.tool(),
        takeThought(),
        kept.substring(0, SHOWN_LINE_LENGTH) + "...",
        "the line is "
            + length
            + " characters long, more than the limit of "
            + MAX_LINE_LENGTH
            + "; keep each task on a short line and pass large data by reference ($N) instead of"
            + " writing it into the plan.");
  }

  /**
   * A syntax error's message, with the line it is about: the trace shows errors without their
   * lines.
   */
  private static String unreadable(String text, TaskLineParser.SyntaxError error) {
    return "cannot read the task line `" + shorten(text) + "`: " + error.getMessage() + ".";
  }

  /**
   * The line as a message shows it: stripped, each run of white space that holds a line break
   * folded to one space, cut at 120 characters. One pass that stops once it has enough, so a line
   * of any size costs linear time (a regex here was quadratic in a line's white space).
   */
  private static String shorten(String text) {
    String stripped = text.strip();
    StringBuilder shown = new StringBuilder(Math.min(stripped.length(), 121));
    int i = 0;
    while (i < stripped.length() && shown.length() <= 120) {
      if (!isSpace(stripped.charAt(i))) {
        shown.append(stripped.charAt(i++));
        continue;
      }
      int end = i;
      boolean lineBreak = false;
      while (end < stripped.length() && isSpace(stripped.charAt(end))) {
        lineBreak |= isLineBreak(stripped.charAt(end));
        end++;
      }
      if (lineBreak) {
        shown.append(' ');
      } else {
        shown.append(stripped, i, Math.min(end, i + 121 - shown.length()));
      }
      i = end;
    }
    return shown.length() > 120 ? shown.substring(0, 117) + "..." : shown.toString();
  }

  /** White space as the regex class {@code \s} has it, plus the other line breaks of {@code \R}. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || isLineBreak(c);
  }

  private static boolean isLineBreak(char c) {
    return c == '\n'
        || c == '\r'
        || c == '\u000B'
        || c == '\f'
        || c == '\u0085'
        || c == '\u2028'
        || c == '\u2029';
  }

  private void emit(PlannedTask task) {
    checks.emitted(task);
    taskSeen = true;
    listener.onTask(task);
  }

  private PlannedTask failed(int id, String tool, String thought, String text, String error) {
    return PlannedTask.failed(id, tool, thought, text, taskLineNumber, error);
  }

  private PlannedTask failed(
      int id, String tool, String thought, String text, String error, List<String> notes) {
    return PlannedTask.failed(id, tool, thought, text, taskLineNumber, error, notes);
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
  private static int skipEmphasis(CharSequence text, int from) {
    int i = from;
    while (i < text.length() && (text.charAt(i) == '*' || text.charAt(i) == '_')) {
      i++;
    }
    return i;
  }

  /**
   * Where the task of a task line starts ({@code start}, or the id after a {@code Step 2:} label
   * when repairing), or -1 if the line is no task line.
   */
  private int taskStart(String text, int start) {
    if (startsTask(text, start)) {
      return start;
    }
    int id = repairs ? labelledId(text, start) : -1;
    if (id >= 0) {
      TaskLineParser.IdPrefix prefix = TaskLineParser.idPrefix(text, id);
      if (prefix != null && prefix.digitsStart() == id && startsCall(text, prefix.end(), true)) {
        return id;
      }
    }
    return -1;
  }

  /**
   * Where the id of a label {@code Task 2} or {@code Step 2} (any case, optionally in bold) starts,
   * or -1. Whether a call follows is for the caller to check: {@code Step 2: think} is prose.
   */
  private static int labelledId(CharSequence text, int start) {
    int i = skipEmphasis(text, start);
    if (!regionMatches(text, i, "task") && !regionMatches(text, i, "step")) {
      return -1;
    }
    i = skipSpaces(text, i + 4);
    return i < text.length() && TaskLineParser.isDigit(text.charAt(i)) ? i : -1;
  }

  /** Whether {@code text} has {@code lowerCase} at {@code at}, ignoring case. */
  private static boolean regionMatches(CharSequence text, int at, String lowerCase) {
    if (at + lowerCase.length() > text.length()) {
      return false;
    }
    for (int k = 0; k < lowerCase.length(); k++) {
      if (Character.toLowerCase(text.charAt(at + k)) != lowerCase.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** A markdown separator: at least three of one of {@code # - * _ =}, and spaces, nothing else. */
  private static boolean isSeparator(String text) {
    char mark = 0;
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (TaskLineParser.isSpace(c)) {
        continue;
      }
      if ("#-*_=".indexOf(c) < 0 || (mark != 0 && c != mark)) {
        return false;
      }
      mark = c;
      count++;
    }
    return count >= 3;
  }

  /** Whether the line starts a question, {@code Question: ...} (any case, optionally in bold). */
  private static boolean isQuestion(String text, int start) {
    int i = skipEmphasis(text, start);
    if (!regionMatches(text, i, "question")) {
      return false;
    }
    i = skipEmphasis(text, skipSpaces(text, i + 8));
    return i < text.length() && text.charAt(i) == ':';
  }

  /**
   * Whether the line is meant as a task: it starts with an id followed by {@code .}, {@code )} or
   * {@code :} or by a call, or it starts with a call {@code name(}.
   */
  private static boolean startsTask(String text, int start) {
    TaskLineParser.IdPrefix prefix = TaskLineParser.idPrefix(text, start);
    if (prefix != null) {
      return prefix.separator()
          || (prefix.end() > prefix.digitsEnd() && startsCall(text, prefix.end()));
    }
    return startsCall(text, start);
  }

  private static boolean startsCall(String text, int start) {
    return startsCall(text, start, false);
  }

  /**
   * Whether a call {@code name(} starts at {@code start}, also {@code `name`(} if {@code
   * backtickedName}.
   */
  private static boolean startsCall(String text, int start, boolean backtickedName) {
    boolean backtick = start < text.length() && text.charAt(start) == '`';
    int i = backtick ? start + 1 : start;
    int nameStart = i;
    while (i < text.length() && TaskLineParser.isToolNameChar(text.charAt(i))) {
      i++;
    }
    if (i == nameStart) {
      return false;
    }
    if (backtick && backtickedName && i < text.length() && text.charAt(i) == '`') {
      i++;
    }
    i = skipSpaces(text, i);
    return i < text.length() && text.charAt(i) == '(';
  }

  /**
   * Whether the line so far is exactly a {@code join()} call, with an optional id and bullet (and,
   * when repairing, a {@code Step 4:} label or the name in backticks, {@code `join`()}).
   */
  private boolean isJoinCall(CharSequence text) {
    int i = skipBullet(text, skipSpaces(text, 0));
    if (repairs && labelledId(text, i) >= 0) {
      i = labelledId(text, i);
    }
    TaskLineParser.IdPrefix prefix = TaskLineParser.idPrefix(text, i);
    if (prefix != null) {
      i = prefix.end();
    }
    boolean backtick = i < text.length() && text.charAt(i) == '`';
    if (backtick) {
      i++;
    }
    if (!regionMatches(text, i, "join")) {
      return false;
    }
    i += 4;
    if (backtick && repairs && i < text.length() && text.charAt(i) == '`') {
      i++;
    }
    i = skipSpaces(text, i);
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
    if (from + 1 < text.length()
        && "-*+\u2022".indexOf(text.charAt(from)) >= 0
        && TaskLineParser.isSpace(text.charAt(from + 1))) {
      return skipSpaces(text, from + 1);
    }
    return from;
  }
}
