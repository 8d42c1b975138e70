package dev.llmcompiler.processor;

import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import dev.llmcompiler.runtime.llm.TokenUsage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory LLM for agent tests: answers each call with the next scripted reply, streamed in
 * lines, cut at the request's stop sequences as providers do; records every request.
 */
final class ScriptedReplies implements LlmClient {
  private final Deque<String> replies;
  final List<LlmRequest> requests = Collections.synchronizedList(new ArrayList<>());

  ScriptedReplies(String... replies) {
    this.replies = new ArrayDeque<>(List.of(replies));
  }

  @Override
  public CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener) {
    requests.add(request);
    String reply;
    synchronized (this) {
      reply = replies.poll();
    }
    if (reply == null) {
      return CompletableFuture.failedFuture(
          new LlmException(
              LlmException.Kind.OTHER,
              "no scripted reply left for call "
                  + requests.size()
                  + " ("
                  + request.purpose()
                  + ")"));
    }
    for (String stop : request.stop()) {
      int at = reply.indexOf(stop);
      if (at >= 0) {
        reply = reply.substring(0, at);
      }
    }
    String text = reply;
    return CompletableFuture.supplyAsync(
        () -> {
          for (String line : text.split("(?<=\n)")) {
            listener.onText(line);
          }
          return LlmResponse.builder()
              .text(text)
              .usage(TokenUsage.of(50, 5))
              .finishReason("stop")
              .build();
        });
  }

  /** The last user message of the n-th request (from 0). */
  String userMessage(int call) {
    return requests.get(call).lastUserMessage().orElseThrow().content();
  }
}
