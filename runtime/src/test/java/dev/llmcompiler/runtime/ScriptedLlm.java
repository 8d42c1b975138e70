package dev.llmcompiler.runtime;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An in-memory LLM for tests: answers each call with the next script, streamed in chunks of a
 * configurable size with optional delays, pauses on latches, and breaks. It cuts the text at the
 * request's stop sequences, as real providers do. Each call streams on its own thread, recorded so
 * tests can check that none is left running.
 */
final class ScriptedLlm implements LlmClient {
  private final Deque<Script> scripts = new ArrayDeque<>();
  final List<LlmRequest> requests = Collections.synchronizedList(new ArrayList<>());
  final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());

  /** The future each call returned, in call order. */
  final List<CompletableFuture<LlmResponse>> responses =
      Collections.synchronizedList(new ArrayList<>());

  private final Function<LlmRequest, Script> responder;

  ScriptedLlm(Script... scripts) {
    this.scripts.addAll(List.of(scripts));
    this.responder = null;
  }

  /** Answers each request with what {@code responder} makes of it, for runs in parallel. */
  ScriptedLlm(Function<LlmRequest, Script> responder) {
    this.responder = responder;
  }

  static Script reply(String text) {
    return new Script(text);
  }

  synchronized ScriptedLlm then(Script script) {
    scripts.add(script);
    return this;
  }

  int calls() {
    return requests.size();
  }

  @Override
  public CompletableFuture<LlmResponse> chat(LlmRequest request, LlmStreamListener listener) {
    requests.add(request);
    Script script;
    synchronized (this) {
      script = responder != null ? responder.apply(request) : scripts.poll();
    }
    if (script == null) {
      return CompletableFuture.failedFuture(
          new LlmException(
              LlmException.Kind.OTHER,
              "ScriptedLlm has no script left for call "
                  + requests.size()
                  + " ("
                  + request.purpose()
                  + ")"));
    }
    CompletableFuture<LlmResponse> response = new CompletableFuture<>();
    responses.add(response);
    Thread thread =
        new Thread(
            () -> stream(script, request, listener, response), "scripted-llm-" + requests.size());
    thread.setDaemon(true);
    threads.add(thread);
    response.whenComplete(
        (r, e) -> {
          if (response.isCancelled()) {
            thread.interrupt();
          }
        });
    thread.start();
    return response;
  }

  private static void stream(
      Script script,
      LlmRequest request,
      LlmStreamListener listener,
      CompletableFuture<LlmResponse> response) {
    String text = script.text;
    for (String stop : request.stop()) {
      int at = text.indexOf(stop);
      if (at >= 0) {
        text = text.substring(0, at);
      }
    }
    int end = script.failAt >= 0 ? Math.min(script.failAt, text.length()) : text.length();
    try {
      for (int at = 0; at < end; ) {
        if (response.isDone()) {
          return;
        }
        if (script.gate != null && at >= script.gateAt && !script.gatePassed) {
          script.gatePassed = true;
          script.gateOpenedInTime = script.gate.await(10, TimeUnit.SECONDS);
        }
        int next = Math.min(end, at + script.chunk);
        if (script.gate != null
            && !script.gatePassed
            && at < script.gateAt
            && next > script.gateAt) {
          next = script.gateAt;
        }
        if (script.delayMs > 0) {
          Thread.sleep(script.delayMs);
        }
        listener.onText(text.substring(at, next));
        at = next;
      }
      if (script.failAt >= 0) {
        response.completeExceptionally(
            new LlmException(
                LlmException.Kind.STREAM_BROKEN, "the stream broke after " + end + " characters"));
      } else {
        response.complete(
            LlmResponse.builder().text(text).usage(script.usage).finishReason("stop").build());
      }
    } catch (InterruptedException e) {
      response.completeExceptionally(new LlmException(LlmException.Kind.OTHER, "interrupted"));
    }
  }

  /** One scripted reply. */
  static final class Script {
    final String text;
    int chunk = Integer.MAX_VALUE;
    long delayMs;
    int failAt = -1;
    CountDownLatch gate;
    int gateAt;
    volatile boolean gatePassed;
    volatile boolean gateOpenedInTime;
    TokenUsage usage = TokenUsage.of(100, 10);

    Script(String text) {
      this.text = text;
    }

    Script chunks(int size) {
      this.chunk = size;
      return this;
    }

    Script delay(long millis) {
      this.delayMs = millis;
      return this;
    }

    /** Streams this many characters, then fails with a STREAM_BROKEN LlmException. */
    Script failAfter(int chars) {
      this.failAt = chars;
      return this;
    }

    /**
     * Before streaming the text from the first occurrence of {@code marker} on, waits for {@code
     * gate}.
     */
    Script pauseBefore(String marker, CountDownLatch gate) {
      this.gate = gate;
      this.gateAt = text.indexOf(marker);
      if (gateAt < 0) {
        throw new IllegalArgumentException("marker not in script: " + marker);
      }
      return this;
    }

    Script usage(long prompt, long completion) {
      return usage(TokenUsage.of(prompt, completion));
    }

    Script usage(TokenUsage usage) {
      this.usage = usage;
      return this;
    }
  }
}
