package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.internal.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written {@link ToolSet} for tests: tools from lambdas, recording the threads they ran on.
 */
final class TestTools implements ToolSet {
  interface Body {
    JsonNode apply(ObjectNode args) throws Exception;
  }

  interface AsyncBody {
    CompletionStage<JsonNode> apply(ObjectNode args);
  }

  /**
   * A tool body that counts {@code started} down, blocks until its thread is interrupted, then
   * counts {@code interrupted} down and rethrows: tests wait on the latches instead of reading a
   * flag the tool's thread sets at some later moment.
   */
  static Body hangUntilInterrupted(CountDownLatch started, CountDownLatch interrupted) {
    return args -> {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return Json.NODES.nullNode();
    };
  }

  private final List<ToolDescriptor> tools = new ArrayList<>();
  private final Map<String, Object> bodies = new LinkedHashMap<>();
  final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  /** A tool whose parameters are all required; {@code params} alternates names and JSON types. */
  TestTools tool(String name, Body body, String... params) {
    return tool(name, Effect.MUTATING, body, params);
  }

  /** A tool with a declared effect. */
  TestTools tool(String name, Effect effect, Body body, String... params) {
    tools.add(descriptor(name, false, effect, params));
    bodies.put(name, body);
    return this;
  }

  TestTools asyncTool(String name, AsyncBody body, String... params) {
    tools.add(descriptor(name, true, params));
    bodies.put(name, body);
    return this;
  }

  static ToolDescriptor descriptor(String name, boolean async, String... params) {
    return descriptor(name, async, Effect.MUTATING, params);
  }

  static ToolDescriptor descriptor(String name, boolean async, Effect effect, String... params) {
    ObjectNode schema = Json.object().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    var required = schema.putArray("required");
    StringBuilder signature = new StringBuilder(name).append('(');
    for (int i = 0; i < params.length; i += 2) {
      ObjectNode property = properties.putObject(params[i]);
      if (!params[i + 1].equals("any")) {
        property.put("type", params[i + 1]);
      }
      required.add(params[i]);
      signature.append(i == 0 ? "" : ", ").append(params[i]).append(": ").append(params[i + 1]);
    }
    schema.put("additionalProperties", false);
    return ToolDescriptor.builder()
        .name(name)
        .description("The " + name + " tool for tests.")
        .parameters(schema)
        .returns("{}")
        .signature(signature.append(") -> any").toString())
        .async(async)
        .effect(effect)
        .build();
  }

  @Override
  public List<ToolDescriptor> tools() {
    return Collections.unmodifiableList(tools);
  }

  @Override
  public CompletionStage<JsonNode> invoke(String tool, ObjectNode arguments) throws Exception {
    Object body = bodies.get(tool);
    if (body == null) {
      throw new ToolArgumentException(tool, null, "No tool '" + tool + "'.");
    }
    calls.computeIfAbsent(tool, t -> new AtomicInteger()).incrementAndGet();
    if (body instanceof AsyncBody async) {
      return async.apply(arguments);
    }
    threads.add(Thread.currentThread());
    return CompletableFuture.completedFuture(((Body) body).apply(arguments));
  }

  int calls(String tool) {
    AtomicInteger count = calls.get(tool);
    return count == null ? 0 : count.get();
  }
}
