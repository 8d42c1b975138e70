package dev.llmcompiler.opentelemetry;

import dev.llmcompiler.runtime.llm.LlmClient;
import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmRequest;
import dev.llmcompiler.runtime.llm.LlmResponse;
import dev.llmcompiler.runtime.llm.LlmStreamListener;
import dev.llmcompiler.runtime.llm.TokenUsage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory model for tests: answers each call with the next reply, streamed in one piece on a
 * thread of its own and cut at the request's stop sequences, as providers do.
 */
final class ScriptedLlm implements LlmClient {
  /** A reply: its text and usage, or the failure to answer with. */
  record Reply(String text, TokenUsage usage, LlmException failure) {}

  private final Deque<Reply> replies;

  ScriptedLlm(Reply... replies) {
    this.replies = new ArrayDeque<>(List.of(replies));
  }

  static Reply reply(String text, long promptTokens, long completionTokens) {
    return new Reply(text, TokenUsage.of(promptTokens, completionTokens), null);
  }

  static Reply reply(
      String text, long promptTokens, long completionTokens, long cachedPromptTokens) {
    return new Reply(
        text,
        TokenUsage.builder()
            .promptTokens(promptTokens)
            .completionTokens(completionTokens)
            .cachedPromptTokens(cachedPromptTokens)
            .build(),
        null);
  }

  static Reply failure(LlmException failure) {
    return new Reply("", TokenUsage.ZERO, failure);
  }

  @Override
  public CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener) {
    Reply reply;
    synchronized (this) {
      reply = replies.poll();
    }
    CompletableFuture<LlmResponse> response = new CompletableFuture<>();
    if (reply == null) {
      return CompletableFuture.failedFuture(
          new LlmException(LlmException.Kind.OTHER, "no reply left"));
    }
    Thread thread =
        new Thread(
            () -> {
              if (reply.failure() != null) {
                response.completeExceptionally(reply.failure());
                return;
              }
              String text = reply.text();
              for (String stop : request.stop()) {
                int at = text.indexOf(stop);
                if (at >= 0) {
                  text = text.substring(0, at);
                }
              }
              listener.onText(text);
              response.complete(
                  LlmResponse.builder()
                      .text(text)
                      .usage(reply.usage())
                      .finishReason("stop")
                      .build());
            },
            "scripted-llm");
    thread.setDaemon(true);
    thread.start();
    return response;
  }
}
