package dev.llmcompiler.opentelemetry;

import dev.llmcompiler.annotations.Tool;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The tests' tools, compiled by the real annotation processor into {@code DeskTools}. {@link
 * #search} waits at a barrier for the other searches of its plan, so a plan whose searches did not
 * run in parallel fails instead of passing.
 */
public class Desk {
  final CountDownLatch hangStarted = new CountDownLatch(1);
  final CountDownLatch hangInterrupted = new CountDownLatch(1);
  private final CyclicBarrier searchesTogether;
  private final Tracer tracer;

  /**
   * @param parallelSearches how many searches must be in their bodies at once before any returns
   * @param tracer what {@link #lookup} opens its own span with
   */
  Desk(int parallelSearches, Tracer tracer) {
    this.searchesTogether = new CyclicBarrier(parallelSearches);
    this.tracer = tracer;
  }

  /**
   * Searches the web.
   *
   * @param query what to search for
   */
  @Tool
  public String search(String query) {
    try {
      searchesTogether.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
      throw new IllegalStateException("the searches did not run in parallel", e);
    }
    return "found " + query;
  }

  /**
   * Looks a key up in the database, which traces itself.
   *
   * @param key the key
   */
  @Tool
  public String lookup(String key) {
    Span span = tracer.spanBuilder("db lookup").startSpan();
    try (Scope scope = span.makeCurrent()) {
      return "value of " + key;
    } finally {
      span.end();
    }
  }

  /**
   * Repeats a text.
   *
   * @param text the text
   */
  @Tool
  public String echo(String text) {
    return text;
  }

  /**
   * Always fails.
   *
   * @param why the failure's message
   */
  @Tool
  public String fail(String why) {
    throw new IllegalStateException(why);
  }

  /** Runs until it is interrupted. */
  @Tool
  public String hang() {
    hangStarted.countDown();
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      hangInterrupted.countDown();
      Thread.currentThread().interrupt();
    }
    return "interrupted";
  }
}
