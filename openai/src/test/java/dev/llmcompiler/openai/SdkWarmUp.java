package dev.llmcompiler.openai;

import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.testkit.ScriptedOpenAiServer;
import dev.llmcompiler.testkit.ScriptedResponse;
import java.util.concurrent.TimeUnit;

/**
 * The SDK's first call in a JVM spends seconds in Kotlin reflection (its Jackson Kotlin module);
 * timing assertions must not measure that, so timing tests call this first.
 */
final class SdkWarmUp {
  private static volatile boolean done;

  private SdkWarmUp() {}

  static synchronized void once() throws Exception {
    if (done) {
      return;
    }
    try (ScriptedOpenAiServer server = ScriptedOpenAiServer.start();
        OpenAiLlm llm = OpenAiLlm.builder().baseUrl(server.baseUrl()).build()) {
      server.enqueue(ScriptedResponse.stream("warm", "up"));
      llm.chat(LlmRequest.builder().system("s").addMessage(LlmMessage.user("u")).build(), d -> {})
          .get(60, TimeUnit.SECONDS);
    }
    done = true;
  }
}
