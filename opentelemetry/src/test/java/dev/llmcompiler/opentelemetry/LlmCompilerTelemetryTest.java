package dev.llmcompiler.opentelemetry;

import static dev.llmcompiler.opentelemetry.ScriptedLlm.failure;
import static dev.llmcompiler.opentelemetry.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmcompiler.openai.OpenAiLlm;
import dev.llmcompiler.runtime.LlmCompiler;
import dev.llmcompiler.runtime.LlmCompilerException;
import dev.llmcompiler.runtime.RunOutcome;
import dev.llmcompiler.runtime.RunResult;
import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The spans of real runs, exported by the OpenTelemetry SDK into memory: the tree, the attributes
 * of the GenAI semantic conventions, parallel tools, failures, skipped tasks, deadlines and
 * content.
 */
class LlmCompilerTelemetryTest {
  private static final String FINISH = "Thought: The results answer it.\nAction: Finish(%s)";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk openTelemetry =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .build();
  private final Tracer tracer = openTelemetry.getTracer("test");

  @AfterEach
  void closeSdk() {
    openTelemetry.close();
  }

  @Test
  void aTwoRoundRunIsOneTreeOfGenAiSpansBelowTheCallersSpan() {
    Desk desk = new Desk(2, tracer);
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. search(\"a\")\n2. search(\"b\")\n3. echo($1)\njoin()<END_OF_PLAN>", 1000, 40),
            reply("Thought: b is not enough\nAction: Replan(check c)", 500, 10, 256),
            reply("4. echo(\"c\")\njoin()<END_OF_PLAN>", 1200, 20, 1024),
            reply(String.format(FINISH, "done"), 600, 5));
    LlmCompilerTelemetry telemetry =
        LlmCompilerTelemetry.builder(openTelemetry)
            .agentName("research")
            .providerName("openai")
            .model("gpt-test")
            .build();

    Span request = tracer.spanBuilder("request").startSpan();
    RunResult result;
    try (Scope scope = request.makeCurrent();
        LlmCompiler compiler =
            telemetry.configure(LlmCompiler.builder()).llm(llm).tools(DeskTools.of(desk)).build()) {
      result = compiler.run("What about a, b and c?");
    } finally {
      request.end();
    }
    assertThat(result.answer()).isEqualTo("done");

    SpanData caller = one("request");
    SpanData agent = one("invoke_agent research");
    assertThat(exporter.getFinishedSpanItems())
        .hasSize(1 + 1 + 2 + 4 + 4)
        .allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(caller.getTraceId()));
    assertThat(agent.getParentSpanId()).isEqualTo(caller.getSpanId());
    assertThat(agent.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(agent.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(attr(agent, GenAi.OPERATION_NAME)).isEqualTo("invoke_agent");
    assertThat(attr(agent, GenAi.AGENT_NAME)).isEqualTo("research");
    assertThat(attr(agent, GenAi.PROVIDER_NAME)).isEqualTo("openai");
    assertThat(attr(agent, GenAi.REQUEST_MODEL)).isEqualTo("gpt-test");
    assertThat(attr(agent, GenAi.USAGE_INPUT_TOKENS)).isEqualTo(3300L);
    assertThat(attr(agent, GenAi.USAGE_OUTPUT_TOKENS)).isEqualTo(75L);
    assertThat(attr(agent, GenAi.USAGE_CACHE_READ_INPUT_TOKENS)).isEqualTo(1280L);
    assertThat(attr(agent, GenAi.RUN_OUTCOME)).isEqualTo("finished");

    List<SpanData> plans = byStart(named("plan research"));
    assertThat(plans)
        .hasSize(2)
        .allSatisfy(
            plan -> {
              assertThat(plan.getParentSpanId()).isEqualTo(agent.getSpanId());
              assertThat(plan.getKind()).isEqualTo(SpanKind.INTERNAL);
              assertThat(attr(plan, GenAi.OPERATION_NAME)).isEqualTo("plan");
              assertThat(attr(plan, GenAi.AGENT_NAME)).isEqualTo("research");
              assertWithin(plan, agent);
            });
    assertThat(plans).extracting(plan -> attr(plan, GenAi.ROUND)).containsExactly(1L, 2L);
    assertThat(plans)
        .extracting(plan -> attr(plan, GenAi.ROUND_DECISION))
        .containsExactly("replan", "finish");

    List<SpanData> chats = byStart(named("chat gpt-test"));
    assertThat(chats)
        .hasSize(4)
        .allSatisfy(
            chat -> {
              assertThat(chat.getKind()).isEqualTo(SpanKind.CLIENT);
              assertThat(attr(chat, GenAi.OPERATION_NAME)).isEqualTo("chat");
              assertThat(attr(chat, GenAi.PROVIDER_NAME)).isEqualTo("openai");
              assertThat(attr(chat, GenAi.REQUEST_MODEL)).isEqualTo("gpt-test");
              assertThat(attr(chat, GenAi.RESPONSE_FINISH_REASONS)).containsExactly("stop");
            });
    assertThat(chats)
        .extracting(chat -> attr(chat, GenAi.LLM_CALL_PURPOSE))
        .containsExactly("planner", "joiner", "planner", "joiner");
    assertThat(chats)
        .extracting(SpanData::getParentSpanId)
        .containsExactly(
            plans.get(0).getSpanId(),
            plans.get(0).getSpanId(),
            plans.get(1).getSpanId(),
            plans.get(1).getSpanId());
    assertWithin(chats.get(0), plans.get(0));
    assertWithin(chats.get(3), plans.get(1));
    assertThat(chats)
        .extracting(chat -> attr(chat, GenAi.USAGE_INPUT_TOKENS))
        .containsExactly(1000L, 500L, 1200L, 600L);
    assertThat(chats)
        .extracting(chat -> attr(chat, GenAi.USAGE_OUTPUT_TOKENS))
        .containsExactly(40L, 10L, 20L, 5L);
    assertThat(chats)
        .as("cached tokens only where the provider reported them")
        .extracting(chat -> attr(chat, GenAi.USAGE_CACHE_READ_INPUT_TOKENS))
        .containsExactly(null, 256L, 1024L, null);
    assertThat(attr(chats.get(2), GenAi.REQUEST_STOP_SEQUENCES)).containsExactly("<END_OF_PLAN>");

    SpanData search1 = tool("1");
    SpanData search2 = tool("2");
    SpanData echo3 = tool("3");
    SpanData echo4 = tool("4");
    assertThat(List.of(search1, search2))
        .allSatisfy(
            search -> {
              assertThat(search.getName()).isEqualTo("execute_tool search");
              assertThat(attr(search, GenAi.TOOL_NAME)).isEqualTo("search");
            });
    assertThat(echo3.getName()).isEqualTo("execute_tool echo");
    assertThat(List.of(search1, search2, echo3, echo4))
        .allSatisfy(
            tool -> {
              assertThat(tool.getKind()).isEqualTo(SpanKind.INTERNAL);
              assertThat(attr(tool, GenAi.OPERATION_NAME)).isEqualTo("execute_tool");
              assertThat(attr(tool, GenAi.TOOL_TYPE)).isEqualTo("function");
              assertThat(attr(tool, GenAi.TASK_STATUS)).isEqualTo("ok");
              assertThat(tool.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            });
    assertThat(List.of(search1, search2, echo3))
        .allSatisfy(
            tool -> {
              assertThat(tool.getParentSpanId()).isEqualTo(plans.get(0).getSpanId());
              assertWithin(tool, plans.get(0));
            });
    assertThat(echo4.getParentSpanId()).isEqualTo(plans.get(1).getSpanId());
    assertThat(attr(echo3, GenAi.TASK_DEPENDS_ON)).containsExactly(1L);
    // The searches met at a barrier, so they ran at the same time: their spans overlap.
    assertThat(search1.getStartEpochNanos()).isLessThan(search2.getEndEpochNanos());
    assertThat(search2.getStartEpochNanos()).isLessThan(search1.getEndEpochNanos());
    assertThat(echo3.getStartEpochNanos())
        .as("echo($1) started after search 1 ended")
        .isGreaterThanOrEqualTo(search1.getEndEpochNanos());

    // Content is recorded only when asked for.
    assertThat(exporter.getFinishedSpanItems())
        .allSatisfy(
            span ->
                assertThat(span.getAttributes().asMap().keySet())
                    .extracting(AttributeKey::getKey)
                    .doesNotContain(
                        "gen_ai.tool.call.arguments",
                        "gen_ai.tool.call.result",
                        "gen_ai.input.messages",
                        "gen_ai.output.messages",
                        "gen_ai.system_instructions"));
  }

  @Test
  void aSpanTheToolOpensItselfIsAChildOfItsExecuteToolSpan() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. lookup(\"user:7\")\njoin()<END_OF_PLAN>", 100, 10),
            reply(String.format(FINISH, "found"), 100, 5));
    run(LlmCompilerTelemetry.create(openTelemetry), llm, new Desk(1, tracer), "Who is user 7?");

    SpanData lookup = tool("1");
    SpanData own = one("db lookup");
    assertThat(lookup.getName()).isEqualTo("execute_tool lookup");
    assertThat(own.getParentSpanId()).isEqualTo(lookup.getSpanId());
    assertThat(own.getTraceId()).isEqualTo(lookup.getTraceId());
    // Without an agent name or model the names are the bare operations.
    assertThat(named("invoke_agent")).hasSize(1);
    assertThat(named("plan")).hasSize(1);
    assertThat(named("chat")).hasSize(2);
    assertThat(one("invoke_agent").getParentSpanId())
        .as("no caller span: the run is a root")
        .isEqualTo(io.opentelemetry.api.trace.SpanId.getInvalid());
  }

  @Test
  void tokenUsageComesFromTheProviderOverTheWireWithCachedTokensWhereReported() throws Exception {
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        OpenAiLlm llm =
            OpenAiLlm.builder().baseUrl(server.baseUrl()).model("gpt-4o-mini").build()) {
      server.enqueue(
          ScriptedResponse.stream("1. echo(\"x\")\n", "join()<END_OF_PLAN>").usage(900, 60),
          ScriptedResponse.stream("Thought: done\n", "Action: Finish(x)").usage(400, 20, 384));
      LlmCompilerTelemetry telemetry =
          LlmCompilerTelemetry.builder(openTelemetry)
              .providerName("openai")
              .model(llm.model())
              .build();
      assertThat(run(telemetry, llm, new Desk(1, tracer), "Echo x").answer()).isEqualTo("x");
    }

    List<SpanData> chats = byStart(named("chat gpt-4o-mini"));
    assertThat(chats).hasSize(2);
    assertThat(attr(chats.get(0), GenAi.USAGE_INPUT_TOKENS)).isEqualTo(900L);
    assertThat(attr(chats.get(0), GenAi.USAGE_OUTPUT_TOKENS)).isEqualTo(60L);
    assertThat(attr(chats.get(0), GenAi.USAGE_CACHE_READ_INPUT_TOKENS)).isNull();
    assertThat(attr(chats.get(1), GenAi.USAGE_INPUT_TOKENS)).isEqualTo(400L);
    assertThat(attr(chats.get(1), GenAi.USAGE_OUTPUT_TOKENS)).isEqualTo(20L);
    assertThat(attr(chats.get(1), GenAi.USAGE_CACHE_READ_INPUT_TOKENS)).isEqualTo(384L);
    assertThat(attr(chats.get(1), GenAi.RESPONSE_FINISH_REASONS)).containsExactly("stop");
    SpanData agent = one("invoke_agent");
    assertThat(attr(agent, GenAi.USAGE_INPUT_TOKENS)).isEqualTo(1300L);
    assertThat(attr(agent, GenAi.USAGE_CACHE_READ_INPUT_TOKENS)).isEqualTo(384L);
    assertThat(attr(agent, GenAi.PROVIDER_NAME)).isEqualTo("openai");
  }

  @Test
  void aFailedToolIsAnErrorAndTasksThatNeverRanShowWhenAndWhy() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                "1. fail(\"disk full\")\n2. echo($1)\n3. nosuch(1)\njoin()<END_OF_PLAN>", 100, 10),
            reply(String.format(FINISH, "it failed"), 100, 5));
    run(LlmCompilerTelemetry.create(openTelemetry), llm, new Desk(1, tracer), "Try it");
    SpanData plan = one("plan");

    SpanData failed = tool("1");
    assertThat(failed.getName()).isEqualTo("execute_tool fail");
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getStatus().getDescription()).isEqualTo("disk full");
    assertThat(attr(failed, GenAi.ERROR_TYPE)).isEqualTo("java.lang.IllegalStateException");
    assertThat(attr(failed, GenAi.TASK_STATUS)).isEqualTo("error");
    assertThat(failed.getEvents()).extracting(event -> event.getName()).contains("exception");

    SpanData skipped = tool("2");
    assertThat(skipped.getName()).isEqualTo("execute_tool echo");
    assertThat(skipped.getParentSpanId()).isEqualTo(plan.getSpanId());
    assertThat(skipped.getEndEpochNanos())
        .as("it never ran: no duration")
        .isEqualTo(skipped.getStartEpochNanos());
    assertThat(skipped.getStartEpochNanos())
        .as("skipped once task 1 had failed")
        .isGreaterThanOrEqualTo(failed.getEndEpochNanos());
    assertWithin(skipped, plan);
    assertThat(skipped.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(attr(skipped, GenAi.TASK_STATUS)).isEqualTo("skipped");
    assertThat(attr(skipped, GenAi.TASK_SKIP_REASON)).contains("depends on task 1, which failed");
    assertThat(attr(skipped, GenAi.ERROR_TYPE)).isNull();

    SpanData invalid = tool("3");
    assertThat(invalid.getName()).isEqualTo("execute_tool nosuch");
    assertThat(invalid.getEndEpochNanos()).isEqualTo(invalid.getStartEpochNanos());
    assertThat(invalid.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(invalid.getStatus().getDescription()).contains("nosuch");
    assertThat(attr(invalid, GenAi.ERROR_TYPE)).isEqualTo("invalid_task");

    assertThat(one("invoke_agent").getStatus().getStatusCode())
        .as("the run itself answered")
        .isEqualTo(StatusCode.UNSET);
  }

  @Test
  void aToolThatTimesOutEndsWithTheTimeout() throws Exception {
    Desk desk = new Desk(1, tracer);
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. hang()\njoin()<END_OF_PLAN>", 100, 10),
            reply(String.format(FINISH, "gave up"), 100, 5));
    run(
        LlmCompilerTelemetry.create(openTelemetry),
        llm,
        desk,
        "Wait",
        builder -> builder.toolTimeout(Duration.ofMillis(100)));
    assertThat(desk.hangInterrupted.await(10, TimeUnit.SECONDS)).isTrue();

    SpanData hang = tool("1");
    assertThat(hang.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attr(hang, GenAi.ERROR_TYPE)).isEqualTo("timeout");
    assertThat(hang.getStatus().getDescription()).contains("timed out");
    assertThat(hang.getEvents()).as("the tool threw nothing").isEmpty();
  }

  @Test
  void aRunThatHitsItsDeadlineEndsWithDeadlineExceededAndSoDoItsRunningTools() throws Exception {
    Desk desk = new Desk(1, tracer);
    ScriptedLlm llm =
        new ScriptedLlm(reply("1. hang()\n2. echo($1)\njoin()<END_OF_PLAN>", 100, 10));
    LlmCompilerTelemetry telemetry = LlmCompilerTelemetry.create(openTelemetry);
    try (LlmCompiler compiler =
        telemetry
            .configure(LlmCompiler.builder())
            .llm(llm)
            .tools(DeskTools.of(desk))
            .runDeadline(Duration.ofSeconds(1))
            .build()) {
      assertThatThrownBy(() -> compiler.run("Wait forever"))
          .isInstanceOfSatisfying(
              LlmCompilerException.class,
              e ->
                  assertThat(e.partialResult().orElseThrow().outcome())
                      .isEqualTo(RunOutcome.DEADLINE_EXCEEDED));
    }
    assertThat(desk.hangStarted.getCount())
        .as("the tool was running when the deadline passed")
        .isZero();

    SpanData agent = one("invoke_agent");
    assertThat(agent.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(agent.getStatus().getDescription()).startsWith("deadline");
    assertThat(attr(agent, GenAi.ERROR_TYPE)).isEqualTo("deadline_exceeded");
    assertThat(attr(agent, GenAi.RUN_OUTCOME)).isEqualTo("deadline_exceeded");
    SpanData plan = one("plan");
    assertThat(plan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attr(plan, GenAi.ERROR_TYPE)).isEqualTo("deadline_exceeded");
    assertThat(attr(plan, GenAi.ROUND_DECISION)).isEqualTo("none");
    SpanData hang = tool("1");
    assertThat(hang.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(hang.getStatus().getDescription()).startsWith("deadline");
    assertThat(attr(hang, GenAi.ERROR_TYPE)).isEqualTo("deadline_exceeded");
    SpanData waiting = tool("2");
    assertThat(waiting.getEndEpochNanos()).isEqualTo(waiting.getStartEpochNanos());
    assertThat(attr(waiting, GenAi.ERROR_TYPE)).isEqualTo("deadline_exceeded");
    assertWithin(hang, plan);
    assertWithin(plan, agent);
  }

  @Test
  void aFailedModelCallFailsItsChatItsRoundAndTheRunWithItsKind() {
    ScriptedLlm llm =
        new ScriptedLlm(failure(new LlmException(LlmException.Kind.RATE_LIMITED, "slow down")));
    LlmCompilerTelemetry telemetry = LlmCompilerTelemetry.create(openTelemetry);
    try (LlmCompiler compiler =
        telemetry
            .configure(LlmCompiler.builder())
            .llm(llm)
            .tools(DeskTools.of(new Desk(1, tracer)))
            .build()) {
      assertThatThrownBy(() -> compiler.run("q")).isInstanceOf(LlmCompilerException.class);
    }

    SpanData chat = one("chat");
    assertThat(chat.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(chat.getStatus().getDescription()).isEqualTo("slow down");
    assertThat(attr(chat, GenAi.ERROR_TYPE)).isEqualTo("rate_limited");
    assertThat(attr(chat, GenAi.USAGE_INPUT_TOKENS)).isNull();
    assertThat(attr(one("plan"), GenAi.ERROR_TYPE)).isEqualTo("rate_limited");
    SpanData agent = one("invoke_agent");
    assertThat(attr(agent, GenAi.ERROR_TYPE)).isEqualTo("rate_limited");
    assertThat(attr(agent, GenAi.RUN_OUTCOME)).isEqualTo("llm_failed");
    assertThat(agent.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void contentIsRecordedWhenAskedForAndCutToTheCap() throws Exception {
    String longText = "x".repeat(100);
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. echo(\"" + longText + "\")\njoin()<END_OF_PLAN>", 100, 10),
            reply(String.format(FINISH, "ok"), 100, 5));
    LlmCompilerTelemetry telemetry =
        LlmCompilerTelemetry.builder(openTelemetry)
            .captureContent(true)
            .maxContentLength(40)
            .build();
    run(telemetry, llm, new Desk(1, tracer), "Echo a long text");

    SpanData echo = tool("1");
    String arguments = attr(echo, GenAi.TOOL_CALL_ARGUMENTS);
    assertThat(arguments).hasSize(40).startsWith("{\"text\":\"xxx").endsWith("…");
    assertThat(attr(echo, GenAi.TOOL_CALL_RESULT)).hasSize(40).startsWith("\"xxx").endsWith("…");

    SpanData agent = one("invoke_agent");
    assertThat(JSON.readTree(attr(agent, GenAi.INPUT_MESSAGES)))
        .isEqualTo(
            JSON.readTree(
                "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Echo a long text\"}]}]"));
    assertThat(JSON.readTree(attr(agent, GenAi.OUTPUT_MESSAGES)))
        .isEqualTo(
            JSON.readTree(
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"ok\"}]}]"));

    SpanData planner = byStart(named("chat")).get(0);
    JsonNode system = JSON.readTree(attr(planner, GenAi.SYSTEM_INSTRUCTIONS));
    assertThat(system.get(0).get("type").asText()).isEqualTo("text");
    assertThat(system.get(0).get("content").asText())
        .as("the planner prompt, cut")
        .hasSize(40)
        .endsWith("…");
    JsonNode input = JSON.readTree(attr(planner, GenAi.INPUT_MESSAGES));
    assertThat(input.get(0).get("role").asText()).isEqualTo("user");
    assertThat(input.get(0).get("parts").get(0).get("content").asText().length())
        .isLessThanOrEqualTo(40);
    JsonNode output = JSON.readTree(attr(planner, GenAi.OUTPUT_MESSAGES));
    assertThat(output.get(0).get("role").asText()).isEqualTo("assistant");
    assertThat(output.get(0).get("parts").get(0).get("content").asText())
        .hasSize(40)
        .startsWith("1. echo(\"xxx");
  }

  @Test
  void toolContentAndMessageContentAreSeparateChoices() {
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. echo(\"hi\")\njoin()<END_OF_PLAN>", 100, 10),
            reply(String.format(FINISH, "hi"), 100, 5));
    LlmCompilerTelemetry telemetry =
        LlmCompilerTelemetry.builder(openTelemetry).captureToolContent(true).build();
    run(telemetry, llm, new Desk(1, tracer), "Say hi");

    assertThat(attr(tool("1"), GenAi.TOOL_CALL_ARGUMENTS)).isEqualTo("{\"text\":\"hi\"}");
    assertThat(attr(tool("1"), GenAi.TOOL_CALL_RESULT)).isEqualTo("\"hi\"");
    assertThat(exporter.getFinishedSpanItems())
        .allSatisfy(
            span ->
                assertThat(span.getAttributes().asMap().keySet())
                    .extracting(AttributeKey::getKey)
                    .doesNotContain(
                        "gen_ai.input.messages",
                        "gen_ai.output.messages",
                        "gen_ai.system_instructions"));
  }

  @Test
  void configureAddsTheObserverToTheBuilderItReturns() {
    LlmCompilerTelemetry telemetry = LlmCompilerTelemetry.create(openTelemetry);
    LlmCompiler.Builder builder = LlmCompiler.builder();
    assertThat(telemetry.configure(builder)).isSameAs(builder);
    assertThat(telemetry.observer()).isSameAs(telemetry.observer());
    assertThatThrownBy(() -> LlmCompilerTelemetry.builder(openTelemetry).maxContentLength(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxContentLength");
    assertThatThrownBy(() -> LlmCompilerTelemetry.builder(openTelemetry).agentName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agentName");
  }

  private RunResult run(LlmCompilerTelemetry telemetry, LlmClient llm, Desk desk, String question) {
    return run(telemetry, llm, desk, question, UnaryOperator.identity());
  }

  private RunResult run(
      LlmCompilerTelemetry telemetry,
      LlmClient llm,
      Desk desk,
      String question,
      UnaryOperator<LlmCompiler.Builder> configure) {
    try (LlmCompiler compiler =
        configure
            .apply(telemetry.configure(LlmCompiler.builder()))
            .llm(llm)
            .tools(DeskTools.of(desk))
            .build()) {
      return compiler.run(question);
    }
  }

  private List<SpanData> named(String name) {
    return exporter.getFinishedSpanItems().stream()
        .filter(span -> span.getName().equals(name))
        .toList();
  }

  private SpanData one(String name) {
    List<SpanData> spans = named(name);
    assertThat(spans)
        .as("spans named '%s' among %s", name, exporter.getFinishedSpanItems())
        .hasSize(1);
    return spans.get(0);
  }

  /** The execute_tool span of task {@code id}. */
  private SpanData tool(String id) {
    List<SpanData> spans =
        exporter.getFinishedSpanItems().stream()
            .filter(span -> id.equals(span.getAttributes().get(GenAi.TOOL_CALL_ID)))
            .toList();
    assertThat(spans).as("execute_tool spans of task %s", id).hasSize(1);
    return spans.get(0);
  }

  private static List<SpanData> byStart(List<SpanData> spans) {
    return spans.stream().sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
  }

  private static <T> T attr(SpanData span, AttributeKey<T> key) {
    return span.getAttributes().get(key);
  }

  private static void assertWithin(SpanData child, SpanData parent) {
    assertThat(child.getStartEpochNanos())
        .as("%s starts within %s", child.getName(), parent.getName())
        .isGreaterThanOrEqualTo(parent.getStartEpochNanos());
    assertThat(child.getEndEpochNanos())
        .as("%s ends within %s", child.getName(), parent.getName())
        .isLessThanOrEqualTo(parent.getEndEpochNanos());
  }
}
