package dev.llmcompiler.runtime.internal.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.internal.JsonSchemas;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a JSON plan as it streams, {@code {"tasks":[{"id":1,"tool":"search","args":{"query":"x"}},
 * ..., {"id":3,"tool":"join","args":{}}]}} (see {@link PlanSchema}), and emits each task the moment
 * its object closes: the same {@link PlannedTask}s, checks and messages as the text plan language.
 *
 * <pre>{@code
 * JsonPlanParser parser = new JsonPlanParser(toolsByName, 1, Set.of(), listener);
 * llm.chat(request, parser::feed).thenRun(parser::finish);
 * }</pre>
 *
 * <p>The text goes through Jackson's non-blocking parser as UTF-8 bytes, one delta at a time (a
 * surrogate pair split between deltas is held back until it is whole), so nothing waits for the
 * end of the reply. Work is linear in the input; only the task being read is kept.
 *
 * <ul>
 *   <li>Text before the first {@code {} (a code fence, "Here is the plan:") and after the plan's
 *       object is ignored. The plan ends when the {@code join} task's object closes (joinSeen
 *       {@code true}), when the plan object closes, or at {@link #finish()}.
 *   <li>A task object has {@code "id"} (an integer), {@code "tool"} and {@code "args"} (an object of
 *       arguments by parameter name; a list is taken as positional arguments) and may have a
 *       {@code "thought"}. Other fields are ignored.
 *   <li>The join task's {@code "args"} may hold a direct answer, {@code {"answer": "The ratio is
 *       ${6}"}}, reported as in the text plan language ({@link PlanListener#onDirectAnswer}).
 *   <li>Values: any JSON. A string that is exactly a reference ({@code "$2"}, {@code "$2.price"},
 *       {@code "${2.items[0]}"}) is that reference and must name an earlier task; inside a longer
 *       string {@code $N} and {@code ${N}} are references as in the text plan language (rendered
 *       as text; {@code $N} naming no task and money amounts are text). A whole reference for a
 *       parameter that takes no text passes the result with its type.
 *   <li>A task that cannot run (a bad id, an unknown tool, a wrong argument or reference, a
 *       duplicate key) is emitted as a failed task, as in the text language. A task object without
 *       an integer id, a plan that is not JSON, malformed JSON or a plan cut off before its end is
 *       a {@linkplain PlanListener#onPlanError plan error} saying where (line and column) and what
 *       was expected: the tasks before it run, and no id is ever guessed.
 * </ul>
 */
public final class JsonPlanParser implements PlanReader {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_SHOWN = 120;

  private final TaskChecks checks;
  private final PlanListener listener;
  private final JsonParser parser;
  private final ByteArrayFeeder feeder;

  /** The text fed to Jackson that is still needed: from the open task's start, or recent text. */
  private final StringBuilder text = new StringBuilder();

  /** The byte (from the first byte fed) and the line and column of {@code text[cursor]}. */
  private int cursor;

  private long cursorByte;
  private int cursorLine = 1;
  private int cursorColumn = 1;
  private char heldHighSurrogate;

  /** Bytes given to Jackson so far, and the end of the last whole token it returned. */
  private long bytesFed;

  private long tokensEnd;

  /** Text before the plan object, kept (bounded) to quote a reply that is not JSON. */
  private final StringBuilder before = new StringBuilder();

  private boolean started;
  private boolean ended;

  private int depth;
  private boolean tasksSeen;
  private boolean inTasks;
  private String rootField;

  /** While a value of a root field other than "tasks" is skipped: the depth it started at. */
  private int skipFrom = -1;

  /** The task object being read, or {@code null}. */
  private TaskBuilder task;

  /** The answer of the join task, or {@code null}. */
  private DirectAnswer directAnswer;

  /**
   * @param tools the tools a task may call, by name
   * @param firstId the lowest id this plan's tasks may have (see {@link PlanParser})
   * @param earlierIds ids of earlier rounds' tasks that have a result, which this plan may
   *     reference
   * @param listener receives the tasks, a plan error if there is one, and the end of the plan
   */
  public JsonPlanParser(
      Map<String, ToolDescriptor> tools,
      int firstId,
      Set<Integer> earlierIds,
      PlanListener listener) {
    this.checks = new TaskChecks(tools, firstId, earlierIds);
    this.listener = Objects.requireNonNull(listener, "listener");
    try {
      this.parser = FACTORY.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException("Jackson could not create a non-blocking parser", e);
    }
    this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
  }

  @Override
  public void feed(CharSequence delta) {
    if (ended || delta.length() == 0) {
      return;
    }
    int from = 0;
    if (!started) {
      from = plainTextBefore(delta);
      if (from < 0) {
        return;
      }
      started = true;
    }
    StringBuilder piece = new StringBuilder(delta.length() - from + 1);
    if (heldHighSurrogate != 0) {
      piece.append(heldHighSurrogate);
      heldHighSurrogate = 0;
    }
    piece.append(delta, from, delta.length());
    if (Character.isHighSurrogate(piece.charAt(piece.length() - 1))) {
      heldHighSurrogate = piece.charAt(piece.length() - 1);
      piece.setLength(piece.length() - 1);
    }
    if (piece.length() > 0) {
      send(piece.toString());
    }
  }

  @Override
  public int lastId() {
    return checks.lastId();
  }

  /**
   * Skips the text before the plan object: returns where its {@code {} is in {@code delta}, or -1
   * if the delta has none (the text is kept, bounded, for a message).
   */
  private int plainTextBefore(CharSequence delta) {
    for (int i = 0; i < delta.length(); i++) {
      char c = delta.charAt(i);
      if (c == '{') {
        return i;
      }
      if (before.length() < MAX_SHOWN * 2) {
        before.append(c);
      }
      if (c == '\n') {
        cursorLine++;
        cursorColumn = 1;
      } else {
        cursorColumn++;
      }
    }
    return -1;
  }

  private void send(String piece) {
    text.append(piece);
    byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
    bytesFed += bytes.length;
    try {
      feeder.feedInput(bytes, 0, bytes.length);
      drain();
    } catch (JsonProcessingException e) {
      broken(e, false);
      return;
    } catch (IOException e) {
      broken("the JSON plan could not be read (" + e + ")");
      return;
    }
    if (!ended && task != null && bytesFed - task.start.byteOffset > PlanParser.MAX_LINE_LENGTH) {
      // Checked here too, not only per token: one long string is a single token.
      tooLong(task);
      return;
    }
    trim();
  }

  @Override
  public void finish() {
    if (ended) {
      return;
    }
    if (!started) {
      String reply = before.toString().strip();
      if (!reply.isEmpty()) {
        broken(
            "the plan is not JSON: expected one JSON object, {\"tasks\": [...]}, but the reply was `"
                + shorten(reply)
                + "`; write the plan as that object and nothing else");
        return;
      }
      end(false);
      return;
    }
    if (heldHighSurrogate != 0) {
      char lone = heldHighSurrogate;
      heldHighSurrogate = 0;
      send(String.valueOf(lone));
      if (ended) {
        return;
      }
    }
    feeder.endOfInput();
    try {
      drain();
    } catch (JsonProcessingException e) {
      broken(e, true);
      return;
    } catch (IOException e) {
      broken("the JSON plan could not be read (" + e + ")");
      return;
    }
    if (!ended) {
      // Jackson reports a plan cut off at the end of the input as an error, so this is rare.
      if (depth > 0) {
        broken(cutOff(position(parser.currentLocation().getByteOffset())));
      } else {
        end(false);
      }
    }
  }

  private void drain() throws IOException {
    JsonToken token;
    while (!ended && (token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
      read(token);
      tokensEnd = parser.currentLocation().getByteOffset();
    }
  }

  private void read(JsonToken token) throws IOException {
    if (task != null) {
      readInTask(token);
      return;
    }
    if (skipFrom >= 0) {
      depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
      if (depth == skipFrom) {
        skipFrom = -1;
      }
      return;
    }
    if (depth == 0) {
      // The first token: text before the first '{' was skipped, so it is the plan object.
      depth = 1;
      return;
    }
    if (inTasks) {
      if (token == JsonToken.START_OBJECT) {
        Position at = locate(parser.currentTokenLocation().getByteOffset(), '{');
        task = new TaskBuilder(at);
        task.token(token, parser);
        depth++;
      } else if (token == JsonToken.END_ARRAY) {
        inTasks = false;
        depth--;
      } else {
        Position at = tokenPosition(token);
        broken(
            "each element of \"tasks\" must be a task object, {\"id\": <id>, \"tool\": \"<tool>\", \"args\":"
                + " {...}}, but at line "
                + at.line
                + ", column "
                + at.column
                + " there is "
                + describe(token));
      }
      return;
    }
    // In the plan object, outside "tasks".
    if (token == JsonToken.FIELD_NAME) {
      rootField = parser.currentName();
    } else if (token == JsonToken.END_OBJECT) {
      depth = 0;
      if (!tasksSeen) {
        broken(
            "the JSON plan has no \"tasks\" list; write {\"tasks\": [{\"id\": 1, \"tool\": \"<tool>\", \"args\":"
                + " {...}}, ..., {\"id\": <last>, \"tool\": \"join\", \"args\": {}}]}");
      } else {
        end(false);
      }
    } else if ("tasks".equals(rootField)) {
      if (token != JsonToken.START_ARRAY) {
        Position at = tokenPosition(token);
        broken(
            "\"tasks\" must be a list of task objects, but at line "
                + at.line
                + ", column "
                + at.column
                + " it is "
                + describe(token));
        return;
      }
      tasksSeen = true;
      inTasks = true;
      depth++;
    } else if (token.isStructStart()) {
      skipFrom = depth;
      depth++;
    }
  }

  private void readInTask(JsonToken token) throws IOException {
    long at = parser.currentTokenLocation().getByteOffset();
    if (at - task.start.byteOffset > PlanParser.MAX_LINE_LENGTH) {
      tooLong(task);
      return;
    }
    task.token(token, parser);
    if (task.depth > TaskLineParser.MAX_DEPTH + 2) {
      broken(
          "the task object that starts at line "
              + task.start.line
              + ", column "
              + task.start.column
              + " nests lists and objects more than "
              + TaskLineParser.MAX_DEPTH
              + " levels deep; pass such data"
              + " from a tool result by reference instead");
      return;
    }
    if (task.depth == 0) {
      Position end = locate(at, '}');
      TaskBuilder done = task;
      task = null;
      depth--;
      String source = text.substring(done.start.index, end.index + 1);
      complete(done, source);
    }
  }

  private void tooLong(TaskBuilder open) {
    broken(
        "the task object that starts at line "
            + open.start.line
            + ", column "
            + open.start.column
            + " is longer than "
            + PlanParser.MAX_LINE_LENGTH
            + " bytes; keep each task short and pass large data"
            + " by reference ($N) instead of writing it into the plan");
  }

  /** A task object is complete: emits its task, or ends the plan at join. */
  private void complete(TaskBuilder done, String source) {
    ObjectNode node = (ObjectNode) done.root;
    JsonNode idNode = node.get("id");
    if (idNode == null || !idNode.isIntegralNumber() || !idNode.canConvertToInt()) {
      broken(
          "the task object at line "
              + done.start.line
              + ", column "
              + done.start.column
              + " has "
              + (idNode == null
                  ? "no \"id\""
                  : "the id " + JsonSchemas.show(idNode) + ", not a whole number")
              + "; give every task an integer \"id\", numbering the tasks in order");
      return;
    }
    int id = idNode.intValue();
    String thought = node.path("thought").isTextual() ? node.get("thought").asText().strip() : "";
    JsonNode toolNode = node.get("tool");
    if (toolNode == null || !toolNode.isTextual()) {
      emit(
          PlannedTask.failed(
              id,
              "",
              thought,
              source,
              done.start.line,
              "the task has "
                  + (toolNode == null
                      ? "no \"tool\""
                      : "the tool " + JsonSchemas.show(toolNode) + ", not a name")
                  + "; write {\"id\": "
                  + id
                  + ", \"tool\": \"<tool>\", \"args\": {...}} with a tool from the list."));
      return;
    }
    String tool = toolNode.asText();
    if (tool.equalsIgnoreCase("join")) {
      directAnswer = directAnswer(node, done, source);
      end(true);
      return;
    }
    if (done.problem != null) {
      emit(PlannedTask.failed(id, tool, thought, source, done.start.line, done.problem));
      return;
    }
    JsonNode args = node.get("args");
    List<TaskLineParser.Argument> arguments = new ArrayList<>();
    List<TaskLineParser.BadReference> bad = new ArrayList<>();
    try {
      if (args instanceof ObjectNode object) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          arguments.add(
              new TaskLineParser.Argument(field.getKey(), value(field.getValue(), id, bad), 0));
        }
      } else if (args instanceof ArrayNode list) {
        for (JsonNode element : list) {
          arguments.add(new TaskLineParser.Argument(null, value(element, id, bad), 0));
        }
      } else if (args != null && !args.isNull()) {
        emit(
            PlannedTask.failed(
                id,
                tool,
                thought,
                source,
                done.start.line,
                "\"args\" must be an object of the"
                    + " arguments by parameter name, e.g. {\"query\": \"...\"}, but it is "
                    + JsonSchemas.show(args)
                    + "."));
        return;
      }
    } catch (TaskLineParser.SyntaxError e) {
      emit(PlannedTask.failed(id, tool, thought, source, done.start.line, e.getMessage() + "."));
      return;
    }
    emit(checks.check(id, null, tool, arguments, bad, thought, source, done.start.line, List.of()));
  }

  /**
   * The direct answer in a join task's {@code "args"}, {@code {"answer": "The ratio is ${6}"}} (or
   * one positional string), checked as in the text plan language; {@code null} for a plain join
   * ({@code {}}, {@code null}, or {@code {"answer": null}}).
   */
  private DirectAnswer directAnswer(ObjectNode node, TaskBuilder done, String source) {
    JsonNode args = node.get("args");
    if (done.problem != null) {
      return DirectAnswer.unusable("the join task cannot be read: " + done.problem, source);
    }
    List<TaskLineParser.Argument> arguments = new ArrayList<>();
    List<TaskLineParser.BadReference> bad = new ArrayList<>();
    try {
      if (args instanceof ObjectNode object) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          if (!field.getValue().isNull() || !field.getKey().equals("answer")) {
            arguments.add(
                new TaskLineParser.Argument(
                    field.getKey(), value(field.getValue(), Integer.MAX_VALUE, bad), 0));
          }
        }
      } else if (args instanceof ArrayNode list) {
        for (JsonNode element : list) {
          arguments.add(
              new TaskLineParser.Argument(null, value(element, Integer.MAX_VALUE, bad), 0));
        }
      } else if (args != null && !args.isNull()) {
        return DirectAnswer.unusable(
            "the join task's \"args\" is "
                + JsonSchemas.show(args)
                + "; give a direct"
                + " answer as {\"answer\": \"...\"}.",
            source);
      }
    } catch (TaskLineParser.SyntaxError e) {
      return DirectAnswer.unusable(
          "the answer of the join task cannot be read: " + e.getMessage() + ".", source);
    }
    return checks.directAnswer(arguments, bad, source);
  }

  /** A JSON value as a plan value: strings may hold references, as in the text plan language. */
  private PlanValue value(JsonNode node, int id, List<TaskLineParser.BadReference> bad) {
    if (node.isTextual()) {
      String string = node.asText();
      if (string.indexOf('$') < 0) {
        return new PlanValue.Literal(node);
      }
      TaskLineParser whole = new TaskLineParser(string, 0);
      PlanValue.Reference reference =
          whole.readWholeReference(target -> checks.isTarget(target, id));
      TaskLineParser reader = whole;
      PlanValue value;
      if (reference != null) {
        // Rendered as text for a string parameter; a typed parameter gets the result itself.
        value = new PlanValue.Template(List.of(reference));
      } else {
        reader = new TaskLineParser(string, 0);
        value = reader.readText(target -> checks.isTarget(target, id));
      }
      for (TaskLineParser.BadReference reference2 : reader.badReferences()) {
        bad.add(new TaskLineParser.BadReference(reference2.taskId(), reference2.written(), 0));
      }
      return value;
    }
    if (node instanceof ArrayNode array) {
      List<PlanValue> elements = new ArrayList<>(array.size());
      boolean literal = true;
      for (JsonNode element : array) {
        PlanValue value = value(element, id, bad);
        literal &= value instanceof PlanValue.Literal;
        elements.add(value);
      }
      return literal ? new PlanValue.Literal(node) : new PlanValue.ListValue(elements);
    }
    if (node instanceof ObjectNode object) {
      Map<String, PlanValue> fields = new LinkedHashMap<>();
      boolean literal = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        PlanValue value = value(field.getValue(), id, bad);
        literal &= value instanceof PlanValue.Literal;
        fields.put(field.getKey(), value);
      }
      return literal ? new PlanValue.Literal(node) : new PlanValue.ObjectValue(fields);
    }
    return new PlanValue.Literal(node);
  }

  private void emit(PlannedTask planned) {
    checks.emitted(planned);
    listener.onTask(planned);
  }

  private void broken(JsonProcessingException e, boolean atEnd) {
    long offset =
        e.getLocation() == null
            ? parser.currentLocation().getByteOffset()
            : e.getLocation().getByteOffset();
    Position at = position(Math.max(offset, 0));
    if (atEnd) {
      broken(cutOff(at));
      return;
    }
    String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
    int lineBreak = message.indexOf('\n');
    message = (lineBreak < 0 ? message : message.substring(0, lineBreak)).strip();
    broken(
        "the JSON plan is malformed at line "
            + at.line
            + ", column "
            + at.column
            + ": "
            + message
            + (task == null
                ? ""
                : " (in the task object that starts at line "
                    + task.start.line
                    + ", column "
                    + task.start.column
                    + ")")
            + "; the tasks before it ran. Write the plan as one JSON object, {\"tasks\": [...]}");
  }

  private String cutOff(Position at) {
    String inside =
        task != null
            ? "inside the task object that starts at line "
                + task.start.line
                + ", column "
                + task.start.column
            : inTasks ? "inside the \"tasks\" list" : "inside the plan object";
    return "the JSON plan ended at line "
        + at.line
        + ", column "
        + at.column
        + " before it was complete ("
        + inside
        + "); the tasks before it ran. Close every object and list, and end the plan with the join task";
  }

  private void broken(String error) {
    if (ended) {
      return;
    }
    listener.onPlanError(error + ".");
    end(false);
  }

  private void end(boolean joinSeen) {
    if (ended) {
      return;
    }
    ended = true;
    task = null;
    text.setLength(0);
    if (joinSeen && directAnswer != null) {
      listener.onDirectAnswer(directAnswer);
    }
    listener.onPlanEnd(joinSeen);
  }

  /**
   * Where the byte at {@code byteOffset} (counted from the first byte fed) is: index, line and
   * column.
   */
  private Position position(long byteOffset) {
    while (cursorByte < byteOffset && cursor < text.length()) {
      char c = text.charAt(cursor);
      int chars = 1;
      int bytes;
      if (Character.isHighSurrogate(c)
          && cursor + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(cursor + 1))) {
        chars = 2;
        bytes = 4;
      } else if (Character.isSurrogate(c)) {
        bytes = 1; // a lone surrogate is encoded as '?'
      } else {
        bytes = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
      cursor += chars;
      cursorByte += bytes;
      if (c == '\n') {
        cursorLine++;
        cursorColumn = 1;
      } else {
        cursorColumn++;
      }
    }
    return new Position(cursor, byteOffset, cursorLine, cursorColumn);
  }

  /** Where the current token starts. */
  private Position tokenPosition(JsonToken token) {
    long offset = parser.currentTokenLocation().getByteOffset();
    switch (token) {
      case START_OBJECT:
        return locate(offset, '{');
      case START_ARRAY:
        return locate(offset, '[');
      case END_OBJECT:
        return locate(offset, '}');
      case END_ARRAY:
        return locate(offset, ']');
      case VALUE_STRING:
      case FIELD_NAME:
        return locate(offset, '"');
      case VALUE_TRUE:
        return locate(offset, 't');
      case VALUE_FALSE:
        return locate(offset, 'f');
      case VALUE_NULL:
        return locate(offset, 'n');
      default:
        Position at = position(offset);
        // A number: its location may be just after its first character.
        if (at.index > 0
            && at.index <= text.length()
            && (Character.isDigit(text.charAt(at.index - 1)) || text.charAt(at.index - 1) == '-')) {
          return new Position(at.index - 1, at.byteOffset - 1, at.line, at.column - 1);
        }
        return at;
    }
  }

  /**
   * The position of the one-character token {@code expected} that Jackson located at {@code
   * byteOffset}: Jackson's non-blocking parser puts some tokens' location just after their first
   * character, so the character before is taken when it is the one expected.
   */
  private Position locate(long byteOffset, char expected) {
    Position at = position(byteOffset);
    if ((at.index >= text.length() || text.charAt(at.index) != expected)
        && at.index > 0
        && text.charAt(at.index - 1) == expected) {
      return new Position(at.index - 1, at.byteOffset - 1, at.line, at.column - 1);
    }
    return at;
  }

  /**
   * Drops text no longer needed (before the cursor and before the open task), once it is more than
   * what is kept, so the copying stays linear in the input.
   */
  private void trim() {
    if (task == null) {
      // Outside tasks no position before the last whole token is asked for again (a token still
      // being read may start before Jackson's current location, so that is not the limit).
      position(tokensEnd);
    }
    int keepFrom = task != null ? Math.min(cursor, task.start.index) : cursor;
    if (keepFrom > 0 && keepFrom >= text.length() - keepFrom) {
      text.delete(0, keepFrom);
      cursor -= keepFrom;
      if (task != null) {
        task.start = task.start.shifted(keepFrom);
      }
    }
  }

  private static String describe(JsonToken token) {
    switch (token) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "a list";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.asString() == null ? token.name() : "'" + token.asString() + "'";
    }
  }

  private static String shorten(String text) {
    String flat = text.replaceAll("\\s+", " ");
    return flat.length() > MAX_SHOWN ? flat.substring(0, MAX_SHOWN - 3) + "..." : flat;
  }

  /** A place in the text: its index in the kept text, byte offset, line and column (from 1). */
  private static final class Position {
    final int index;
    final long byteOffset;
    final int line;
    final int column;

    Position(int index, long byteOffset, int line, int column) {
      this.index = index;
      this.byteOffset = byteOffset;
      this.line = line;
      this.column = column;
    }

    Position shifted(int removed) {
      return new Position(index - removed, byteOffset, line, column);
    }
  }

  /** Builds a task object's tree from its tokens, noting the first duplicate key. */
  private static final class TaskBuilder {
    Position start;
    JsonNode root;
    int depth;
    String problem;
    private final Deque<JsonNode> open = new ArrayDeque<>();
    private String field;

    TaskBuilder(Position start) {
      this.start = start;
    }

    void token(JsonToken token, JsonParser parser) throws IOException {
      switch (token) {
        case START_OBJECT:
          open(NODES.objectNode());
          break;
        case START_ARRAY:
          open(NODES.arrayNode());
          break;
        case END_OBJECT:
        case END_ARRAY:
          open.pop();
          depth--;
          break;
        case FIELD_NAME:
          field = parser.currentName();
          break;
        case VALUE_STRING:
          add(NODES.textNode(parser.getText()));
          break;
        case VALUE_NUMBER_INT:
          add(integer(parser));
          break;
        case VALUE_NUMBER_FLOAT:
          double value = parser.getDoubleValue();
          if (Double.isInfinite(value)) {
            problem("the number " + parser.getText() + " is too large");
          }
          add(NODES.numberNode(value));
          break;
        case VALUE_TRUE:
        case VALUE_FALSE:
          add(NODES.booleanNode(token == JsonToken.VALUE_TRUE));
          break;
        default:
          add(NODES.nullNode());
      }
    }

    private static JsonNode integer(JsonParser parser) throws IOException {
      switch (parser.getNumberType()) {
        case INT:
          return NODES.numberNode(parser.getIntValue());
        case LONG:
          return NODES.numberNode(parser.getLongValue());
        default:
          BigInteger big = parser.getBigIntegerValue();
          return NODES.numberNode(big);
      }
    }

    private void open(JsonNode container) {
      add(container);
      open.push(container);
      depth++;
    }

    private void add(JsonNode node) {
      JsonNode parent = open.peek();
      if (parent == null) {
        root = node;
      } else if (parent instanceof ObjectNode object) {
        if (object.has(field)) {
          problem("the key \"" + field + "\" is given twice in one object; give each key once");
        } else {
          object.set(field, node);
        }
      } else {
        ((ArrayNode) parent).add(node);
      }
    }

    private void problem(String message) {
      if (problem == null) {
        problem = message + ".";
      }
    }
  }
}
