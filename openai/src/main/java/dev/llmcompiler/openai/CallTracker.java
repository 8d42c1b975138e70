package dev.llmcompiler.openai;

import dev.llmcompiler.runtime.llm.LlmException;
import dev.llmcompiler.runtime.llm.LlmResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Connects the SDK's HTTP exchanges to the {@link InFlightCall} they belong to.
 *
 * <p>The SDK does not hand out its OkHttp {@code Call}s, and cancelling only the SDK's stream
 * cannot stop an exchange that is still connecting or waiting for headers. So each request carries
 * a private header naming its call; this application interceptor (which runs once per SDK attempt,
 * retries included) registers the exchange with that call and strips the header before anything is
 * sent, so the provider never sees it.
 *
 * <p>The exchange of a {@linkplain InFlightCall#isWarmUp() warm-up call} is answered here by {@link
 * WarmUp#answer}, before OkHttp's own interceptors would open a connection: it never leaves the
 * process.
 */
final class CallTracker implements Interceptor {
  static final String CALL_ID_HEADER = "X-LLMCompiler-Call-Id";

  private final Map<String, InFlightCall> calls = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();

  /** A new call completing {@code result}, tracked until {@link #remove}. */
  InFlightCall open(CompletableFuture<LlmResponse> result, boolean warmUp) {
    InFlightCall call = new InFlightCall(Long.toString(nextId.incrementAndGet()), result, warmUp);
    calls.put(call.id(), call);
    return call;
  }

  void remove(InFlightCall call) {
    calls.remove(call.id());
  }

  /** Fails and aborts every call still running (the client is closing). */
  void abortAll(Supplier<LlmException> reason) {
    for (InFlightCall call : calls.values()) {
      call.result().completeExceptionally(reason.get());
      call.abort();
    }
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    String id = request.header(CALL_ID_HEADER);
    if (id == null) {
      return chain.proceed(request);
    }
    InFlightCall call = calls.get(id);
    if (call == null || !call.register(chain.call())) {
      throw new IOException("Canceled");
    }
    Request outgoing = request.newBuilder().removeHeader(CALL_ID_HEADER).build();
    return call.isWarmUp() ? WarmUp.answer(outgoing) : chain.proceed(outgoing);
  }
}
