package dev.llmcompiler.benchmarks;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How long the simulated LLM takes: a fixed time to first token, a prefill cost per prompt token, a
 * decode cost per completion token, each multiplied by a seeded jitter factor, all scaled by {@code
 * timeScale} (1.0 = real time).
 *
 * <p>Defaults model GPT-3.5-turbo, the model of the paper's latency figures for HotpotQA and Movie
 * (Kim et al., ICML 2024, Table 1). The paper gives end-to-end latencies, not per-token costs, so
 * the per-token figures come from public measurements of the model: 12 ms per completion token
 * (about 83 tokens/s) lies between Artificial Analysis's ~110 tokens/s for GPT-3.5 Turbo (Instruct)
 * on OpenAI and older 2023 measurements of 35 ms per token (taivo.ai, "GPT-3.5 and GPT-4 response
 * times"); 0.35 s to first token and 0.05 ms per prompt token (a 2,000-token prompt adds 0.1 s) are
 * typical of the model's short-prompt latency. Jitter is +-10% uniform. {@link #GPT_35_TURBO_2023}
 * is the slower setting the report also runs, for sensitivity: 0.63 s to first token (Artificial
 * Analysis) and 35 ms per token.
 *
 * @param ttftMs time to first token for an empty prompt, ms
 * @param prefillMsPerToken added to the time to first token per prompt token, ms
 * @param decodeMsPerToken the time to generate each completion token, ms
 * @param jitter the half-width of the uniform jitter factor, e.g. 0.1 for +-10%
 * @param timeScale the factor every delay is multiplied by (tools included), 1.0 for real time
 */
record LatencyModel(
    double ttftMs,
    double prefillMsPerToken,
    double decodeMsPerToken,
    double jitter,
    double timeScale) {

  static final LatencyModel GPT_35_TURBO = new LatencyModel(350, 0.05, 12, 0.10, 1.0);
  static final LatencyModel GPT_35_TURBO_2023 = new LatencyModel(630, 0.05, 35, 0.10, 1.0);

  LatencyModel {
    if (ttftMs < 0 || prefillMsPerToken < 0 || decodeMsPerToken < 0) {
      throw new IllegalArgumentException(
          "latency costs must not be negative: "
              + ttftMs
              + ", "
              + prefillMsPerToken
              + ", "
              + decodeMsPerToken);
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
    }
    if (!(timeScale > 0)) {
      throw new IllegalArgumentException("timeScale must be positive, got " + timeScale);
    }
  }

  LatencyModel withTimeScale(double scale) {
    return new LatencyModel(ttftMs, prefillMsPerToken, decodeMsPerToken, jitter, scale);
  }

  /** The time to the first token for a prompt of this many tokens, unjittered and unscaled, ms. */
  double firstTokenMs(int promptTokens) {
    return ttftMs + prefillMsPerToken * promptTokens;
  }

  /** The whole call without jitter at real scale, ms: first token plus decoding the rest. */
  double expectedCallMs(int promptTokens, int completionTokens) {
    return firstTokenMs(promptTokens) + decodeMsPerToken * Math.max(0, completionTokens - 1);
  }

  /** The jittered, scaled delay before the first token (which includes decoding that token). */
  Duration firstTokenDelay(int promptTokens, SplittableRandom random) {
    return scaled((firstTokenMs(promptTokens)) * factor(random));
  }

  /** The jittered, scaled delay before each further token; {@code tokens} tokens in one chunk. */
  Duration decodeDelay(int tokens, SplittableRandom random) {
    return scaled(decodeMsPerToken * tokens * factor(random));
  }

  /** A jitter factor in [1 - jitter, 1 + jitter). */
  double factor(SplittableRandom random) {
    return jitter == 0 ? 1 : 1 + jitter * (2 * random.nextDouble() - 1);
  }

  Duration scaled(double ms) {
    return Duration.ofNanos(Math.round(ms * timeScale * 1_000_000));
  }
}
