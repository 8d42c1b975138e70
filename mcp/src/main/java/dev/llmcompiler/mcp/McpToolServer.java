package dev.llmcompiler.mcp;

import dev.llmcompiler.runtime.ToolDescriptor;
import dev.llmcompiler.runtime.ToolSet;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Serves {@link ToolSet}s as a Model Context Protocol server, on the official MCP Java SDK: over
 * stdio, or over streamable HTTP on loopback.
 *
 * <pre>{@code
 * McpToolServer server = McpToolServer.builder()
 *     .name("weather")
 *     .version("1.0.0")
 *     .tools(WeatherServiceTools.of(new WeatherService()))
 *     .build();
 * server.serveStdio();                       // blocks until the client closes stdin
 *
 * try (McpHttpServer http = server.startHttp(8080)) {
 *   System.out.println(http.endpoint());     // http://127.0.0.1:8080/mcp
 * }
 * }</pre>
 *
 * <p>Each tool is published with its build-time catalog schema as {@code inputSchema}, and its
 * result schema as {@code outputSchema} where that is an object schema. The generated invoker
 * checks the arguments before the method runs; a bad argument, like any exception of the tool,
 * comes back as a tool error ({@code isError: true}) whose text is the same precise message the
 * runtime gives a planner. A result is text content (a string as itself, anything else as JSON)
 * and, for an object, structured content too. Calls run side by side, each off the transport's
 * threads.
 */
public final class McpToolServer {
  private final String name;
  private final String version;
  private final List<AsyncToolSpecification> specifications;

  private McpToolServer(Builder builder) {
    this.name = builder.name;
    this.version = builder.version;
    List<AsyncToolSpecification> specifications = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ToolSet set : builder.toolSets) {
      for (ToolDescriptor tool : set.tools()) {
        if (!names.add(tool.name())) {
          throw new IllegalArgumentException(
              "Two tools are named '"
                  + tool.name()
                  + "': MCP clients call tools by"
                  + " name, so serve only one of them (or rename one with @Tool(name = ...)).");
        }
        specifications.add(ServedTools.specification(set, tool));
      }
    }
    this.specifications = List.copyOf(specifications);
  }

  /**
   * Starts a server description; {@code name}, {@code version} and at least one tool set are
   * required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The tools as the SDK's specifications, to add to an MCP server of your own, e.g. one on another
   * transport or inside a framework: {@code
   * McpServer.async(transport).tools(server.toolSpecifications())}.
   */
  public List<AsyncToolSpecification> toolSpecifications() {
    return specifications;
  }

  /**
   * Serves the tools over this process's standard input and output until the client closes stdin,
   * then returns. Standard output then carries only MCP's JSON-RPC messages: while serving, {@code
   * System.out} is pointed at standard error, so nothing else printed can corrupt the stream
   * (restored on return). Log to standard error too.
   */
  public void serveStdio() {
    PrintStream out = System.out;
    System.setOut(System.err);
    try {
      // The raw descriptor, not a PrintStream: a PrintStream hides a closed pipe, this lets the SDK
      // see it.
      serveStdio(System.in, new FileOutputStream(FileDescriptor.out));
    } finally {
      System.setOut(out);
    }
  }

  /** Serves over the given streams until {@code in} ends (or this thread is interrupted). */
  void serveStdio(InputStream in, OutputStream out) {
    CountDownLatch ended = new CountDownLatch(1);
    McpAsyncServer server =
        start(new StdioServerTransportProvider(McpJson.MAPPER, new EndSignalling(in, ended), out));
    try {
      ended.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.close();
    }
  }

  /**
   * Starts serving the tools over MCP's streamable HTTP transport at {@code
   * http://127.0.0.1:port/mcp}, in an embedded Jetty; {@code port} 0 picks a free port ({@link
   * McpHttpServer#endpoint()} tells which). The server listens on loopback only and refuses
   * requests whose {@code Host} or {@code Origin} is not a loopback address, as the MCP
   * specification asks of local servers (against DNS rebinding). Close the returned server to stop.
   *
   * <p>Needs Jetty on the class path ({@code org.eclipse.jetty.ee10:jetty-ee10-servlet} 12.1),
   * which this module declares optional so that stdio servers do not carry it.
   *
   * @throws IllegalStateException if Jetty is missing or the port cannot be bound
   */
  public McpHttpServer startHttp(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
    }
    try {
      return McpHttpServer.start(this, port);
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException(
          "McpToolServer.startHttp needs Jetty on the class path: add the dependency"
              + " org.eclipse.jetty.ee10:jetty-ee10-servlet (12.1.x). Missing: "
              + e.getMessage(),
          e);
    }
  }

  McpAsyncServer start(McpServerTransportProvider transport) {
    return configure(McpServer.async(transport));
  }

  McpAsyncServer start(McpStreamableServerTransportProvider transport) {
    return configure(McpServer.async(transport));
  }

  private McpAsyncServer configure(McpServer.AsyncSpecification<?> spec) {
    return spec.serverInfo(name, version)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .jsonMapper(McpJson.MAPPER)
        .jsonSchemaValidator(McpJson.VALIDATOR)
        // The generated invoker checks arguments with the runtime's precise words; the SDK's
        // generic
        // schema check would answer first, in other words.
        .validateToolInputs(false)
        .tools(specifications)
        .build();
  }

  /** Builds a {@link McpToolServer}. */
  public static final class Builder {
    private String name;
    private String version;
    private final List<ToolSet> toolSets = new ArrayList<>();

    private Builder() {}

    /** The server's name, as MCP's {@code serverInfo} reports it to clients. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The server's version, as MCP's {@code serverInfo} reports it to clients. */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /** Adds tool sets, e.g. generated {@code FooTools.of(foo)}. */
    public Builder tools(ToolSet... toolSets) {
      return tools(Arrays.asList(toolSets));
    }

    /** Adds tool sets. */
    public Builder tools(Collection<? extends ToolSet> toolSets) {
      for (ToolSet set : toolSets) {
        this.toolSets.add(Objects.requireNonNull(set, "tool set"));
      }
      return this;
    }

    /**
     * Builds the server; nothing is served until {@link #serveStdio()} or {@link #startHttp(int)}.
     *
     * @throws IllegalStateException if a required property was not set
     * @throws IllegalArgumentException if two tools have the same name
     */
    public McpToolServer build() {
      if (name == null) {
        throw new IllegalStateException("`name` is required but was not set");
      }
      if (version == null) {
        throw new IllegalStateException("`version` is required but was not set");
      }
      if (toolSets.isEmpty()) {
        throw new IllegalStateException(
            "`tools` is required but was not set: add at least one ToolSet");
      }
      return new McpToolServer(this);
    }
  }

  /**
   * An input stream that counts down a latch once it ends (or fails): how stdio serving knows the
   * client left.
   */
  private static final class EndSignalling extends FilterInputStream {
    private final CountDownLatch ended;

    EndSignalling(InputStream in, CountDownLatch ended) {
      super(in);
      this.ended = ended;
    }

    @Override
    public int read() throws IOException {
      return watch(() -> super.read());
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return watch(() -> super.read(buffer, offset, length));
    }

    private int watch(Read read) throws IOException {
      try {
        int result = read.read();
        if (result < 0) {
          ended.countDown();
        }
        return result;
      } catch (IOException | RuntimeException e) {
        ended.countDown();
        throw e;
      }
    }

    private interface Read {
      int read() throws IOException;
    }
  }
}
