package dev.llmcompiler.openai;

import dev.llmcompiler.runtime.llm.LlmMessage;
import dev.llmcompiler.runtime.llm.LlmRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;

/**
 * What {@link OpenAiLlm#warmUp()} sends through the client, and the answer {@link CallTracker}
 * gives it in place of the server.
 *
 * <p>The SDK's one-time cost is spread over the whole call path: building the request body (the
 * first serialization makes jackson-module-kotlin load kotlin-reflect, about 1,100 classes), the
 * SDK's HTTP adapter and retry loop, its Server-Sent Events parser, and the first deserialization
 * of each chunk type. Running a real call whose exchange is answered in-process, just before OkHttp
 * would open a connection, pays all of it with the same code and the same mapper as a real call,
 * without any network traffic. For an {@code https} server it also runs the client's side of a TLS
 * handshake as far as it goes without a server.
 */
final class WarmUp {
  /** Shaped like the runtime's planner calls: system prompt, a turn, stop sequence, settings. */
  static final LlmRequest REQUEST =
      LlmRequest.builder()
          .purpose("warm-up")
          .system("You are warming up. Answer in one line.")
          .addMessage(LlmMessage.user("Question: warm up?"))
          .addMessage(LlmMessage.assistant("Thought: warming up."))
          .addMessage(LlmMessage.user("Continue."))
          .stop(List.of("<END_OF_PLAN>"))
          .temperature(0)
          .maxTokens(64)
          .build();

  private static final MediaType EVENT_STREAM = MediaType.get("text/event-stream; charset=utf-8");

  /**
   * A stream as OpenAI sends it: a role chunk, content chunks, a finish chunk, a usage chunk (with
   * the details objects) and {@code [DONE]}, with the fields OpenAI adds, so every model class a
   * real stream touches is deserialized once.
   */
  private static final String STREAM =
      event("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null", "null")
          + event("{\"content\":\"Thought: \"}", "null", "null")
          + event("{\"content\":\"warm.\"}", "null", "null")
          + event("{}", "\"stop\"", "null")
          + "data: {\"id\":\"chatcmpl-warm-up\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,"
          + "\"model\":\"warm-up\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_warm_up\","
          + "\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":3,\"total_tokens\":33,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
          + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
          + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"obfuscation\":\"a\"}\n\n"
          + "data: [DONE]\n\n";

  private WarmUp() {}

  private static String event(String delta, String finishReason, String usage) {
    return "data: {\"id\":\"chatcmpl-warm-up\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,"
        + "\"model\":\"warm-up\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_warm_up\","
        + "\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"logprobs\":null,\"finish_reason\":"
        + finishReason
        + "}],\"usage\":"
        + usage
        + ",\"obfuscation\":\"a\"}\n\n";
  }

  /**
   * Answers the warm-up's exchange in place of the server. The request body is written out first,
   * because that is where the SDK serializes it; OkHttp would do the same on the wire.
   */
  static Response answer(Request request) throws IOException {
    RequestBody body = request.body();
    if (body != null) {
      body.writeTo(new Buffer());
    }
    if (request.isHttps()) {
      helloTls(request.url().host(), request.url().port());
    }
    return new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(200)
        .message("OK")
        .header("Content-Type", EVENT_STREAM.toString())
        .body(ResponseBody.create(STREAM, EVENT_STREAM))
        .build();
  }

  /**
   * Writes a TLS ClientHello (with its key shares) into a buffer and drops it: the first https call
   * otherwise loads and runs this part of the JDK's TLS code itself. The rest of a handshake needs
   * the server. Only a head start, so a failure here is ignored: the real call sets TLS up, and
   * reports any problem, as it always does.
   */
  private static void helloTls(String host, int port) {
    try {
      SSLEngine engine = SSLContext.getDefault().createSSLEngine(host, port);
      engine.setUseClientMode(true);
      engine.beginHandshake();
      engine.wrap(
          ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
      engine.closeOutbound();
    } catch (GeneralSecurityException | SSLException | RuntimeException e) {
      // Ignored on purpose, see above.
    }
  }
}
