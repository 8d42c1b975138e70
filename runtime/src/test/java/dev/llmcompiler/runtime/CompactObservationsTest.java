package dev.llmcompiler.runtime;

import static dev.llmcompiler.runtime.ScriptedLlm.reply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.internal.Json;
import org.junit.jupiter.api.Test;

/** The joiner's view of the results: each result written once, no label on a success. */
class CompactObservationsTest {
  private static final String LONG = "The Danube is 2,850 km long and flows through ten countries.";

  @Test
  void aLongArgumentThatIsAnEarlierResultIsShownAsItsReference() {
    TestTools tools =
        new TestTools()
            .tool(
                "search",
                Effect.READ_ONLY,
                args ->
                    Json.NODES.textNode(
                        args.get("query").asText().equals("danube") ? LONG : "short"),
                "query",
                "string")
            .tool(
                "summarize",
                Effect.READ_ONLY,
                args -> Json.NODES.textNode("summary"),
                "facts",
                "array");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply(
                "1. search(\"danube\")\n2. search(\"rhine\")\n3. summarize([$1, $2, \""
                    + LONG
                    + " \"])\n"
                    + "4. search(\"${2}\")\n5. join()<END_OF_PLAN>"),
            reply("Action: Finish(done)"));
    try (LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(tools).build()) {
      RunResult result = compiler.run("How long is the Danube?");

      assertThat(result.answer()).isEqualTo("done");
      String joiner = llm.requests.get(1).lastUserMessage().orElseThrow().content();
      // Task 1's result is long: task 3 refers to it. Task 2's is short: shown in place, like a
      // text that only
      // looks like a result (it has a trailing blank) and an interpolated string.
      assertThat(joiner)
          .contains("1. search(query=\"danube\") -> \"" + LONG + "\"\n")
          .contains("2. search(query=\"rhine\") -> \"short\"\n")
          .contains("3. summarize(facts=[$1,\"short\",\"" + LONG + " \"]) -> \"summary\"\n")
          .contains("4. search(query=\"short\") -> \"short\"\n");
      assertThat(joiner.split(java.util.regex.Pattern.quote(LONG), -1)).hasSize(3);
      assertThat(joiner).doesNotContain("-> ok:");
    }
  }

  @Test
  void errorsAndSkipsKeepTheirLabels() {
    TestTools tools =
        new TestTools()
            .tool(
                "fail",
                args -> {
                  throw new IllegalStateException("down");
                })
            .tool("echo", args -> args.get("value"), "value", "any");
    ScriptedLlm llm =
        new ScriptedLlm(
            reply("1. fail()\n2. echo($1)\n3. join()<END_OF_PLAN>"), reply("Action: Finish(none)"));
    try (LlmCompiler compiler = LlmCompiler.builder().llm(llm).tools(tools).build()) {
      compiler.run("q");

      String joiner = llm.requests.get(1).lastUserMessage().orElseThrow().content();
      assertThat(joiner)
          .contains("1. \"fail()\" -> error: \"Tool 'fail' failed: IllegalStateException: down\"\n")
          .containsPattern("\\n2\\. .* -> skipped: \"");
    }
  }
}
