package dev.llmcompiler.runtime.llm;

import java.util.concurrent.CompletableFuture;

/**
 * The one thing the runtime needs from a language model: a streaming chat completion. The runtime
 * knows nothing of HTTP; {@code llmcompiler-openai} implements this over the official OpenAI SDK
 * (and so over any OpenAI-compatible server), and anything else can be plugged in by implementing
 * this interface.
 *
 * <pre>{@code
 * LlmClient echo = (request, listener) -> {
 *   String text = "1. search(\"Apple market cap\")\njoin()<END_OF_PLAN>";
 *   listener.onText(text);
 *   return CompletableFuture.completedFuture(
 *       LlmResponse.builder().text(text).usage(TokenUsage.of(120, 14)).finishReason("stop").build());
 * };
 * }</pre>
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link #chat} returns at once; the call proceeds in the background.
 *   <li>Text arrives through {@link LlmStreamListener#onText} in order, from one thread at a time,
 *       before the returned future completes. Implementations without streaming call it once with
 *       the whole text.
 *   <li>The future completes with the full text, the token usage (with the cached prompt tokens if
 *       the provider reports them) and the finish reason, or exceptionally with an {@link
 *       LlmException} saying what went wrong.
 *   <li>Cancelling the returned future aborts the call: the implementation closes the stream and
 *       delivers no more text.
 *   <li>If the request has stop sequences, the returned text ends before the first of them.
 * </ul>
 *
 * <p>Implementations must be thread-safe: one client serves concurrent runs.
 *
 * <p>A client that holds connections or threads releases them in {@link #close()}. Whoever creates
 * a client closes it; a generated agent made with {@code FooImpl.create(llm, tools...)} takes that
 * over and closes {@code llm} when it is closed.
 */
@FunctionalInterface
public interface LlmClient extends AutoCloseable {

  /**
   * Starts a streaming chat completion.
   *
   * @param request the system prompt, the messages and the generation options
   * @param listener receives the text as it is generated
   * @return the completed response; cancel it to abort the call
   */
  CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener);

  /**
   * Releases what the client holds (connections, threads); calls made after it may fail. The
   * default does nothing, for clients that hold nothing, such as lambdas. Implementations should
   * make a second call do nothing.
   */
  @Override
  default void close() {}
}
