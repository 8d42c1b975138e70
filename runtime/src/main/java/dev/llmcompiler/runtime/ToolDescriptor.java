package dev.llmcompiler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.runtime.internal.Json;
import dev.llmcompiler.runtime.internal.JsonSchemas;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the planner and the runtime know of one tool: its name, description, JSON schemas, whether
 * the catalog marks it strict, its one-line prompt signature and its {@link Effect}. Generated
 * {@link ToolSet}s build these once, from constants the annotation processor wrote at build time.
 *
 * <pre>{@code
 * ToolDescriptor search = ToolDescriptor.builder()
 *     .name("search")
 *     .description("Searches the encyclopedia.")
 *     .parameters("{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}},"
 *         + "\"required\":[\"query\"],\"additionalProperties\":false}")
 *     .returns("{\"type\":\"string\"}")
 *     .signature("search(query: string) -> string")
 *     .strict(true)
 *     .effect(Effect.READ_ONLY)
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable; the schema nodes they return must not be modified.
 */
public final class ToolDescriptor {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  private final String name;
  private final String description;
  private final ObjectNode parameters;
  private final JsonNode returns;
  private final boolean strict;
  private final boolean async;
  private final String signature;
  private final Effect effect;
  private final List<String> parameterNames;
  private final Set<String> requiredParameters;

  private ToolDescriptor(Builder builder) {
    this.name = builder.name;
    this.description = builder.description;
    this.parameters = builder.parameters;
    this.returns = builder.returns;
    this.strict = builder.strict;
    this.async = builder.async;
    this.signature = builder.signature;
    this.effect = builder.effect;
    List<String> names = new ArrayList<>();
    JsonNode properties = parameters.path("properties");
    for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    this.parameterNames = Collections.unmodifiableList(names);
    Set<String> required = new LinkedHashSet<>();
    for (JsonNode r : parameters.path("required")) {
      // Under OpenAI strict mode every property is listed as required and optional ones are
      // nullable; for callers "required" means "must be given a non-null value".
      if (!JsonSchemas.acceptsNull(parameters, properties.path(r.asText()))) {
        required.add(r.asText());
      }
    }
    this.requiredParameters = Collections.unmodifiableSet(required);
  }

  /**
   * Starts a descriptor; {@code name}, {@code parameters}, {@code returns} and {@code signature}
   * are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The name the LLM calls the tool by, unique among the tools of one run. */
  public String name() {
    return name;
  }

  /** What the tool does, for the LLM; may be empty. */
  public String description() {
    return description;
  }

  /** The JSON Schema of the tool's named arguments: an object schema. */
  public ObjectNode parameters() {
    return parameters;
  }

  /** The JSON Schema of the tool's result ({@code {"type":"null"}} for {@code void}). */
  public JsonNode returns() {
    return returns;
  }

  /** Whether {@link #parameters()} satisfies OpenAI's strict structured-output rules. */
  public boolean strict() {
    return strict;
  }

  /** Whether the tool returns a {@code CompletionStage} rather than blocking. */
  public boolean async() {
    return async;
  }

  /** The compact prompt line, e.g. {@code search(query: string) -> string}. */
  public String signature() {
    return signature;
  }

  /**
   * What calling the tool does to the world: whether identical calls may share one execution, and
   * whether a call needs approval. {@link Effect#MUTATING} unless the builder was told otherwise.
   */
  public Effect effect() {
    return effect;
  }

  /** Parameter names in declaration order: how positional plan arguments map to names. */
  public List<String> parameterNames() {
    return parameterNames;
  }

  /** Parameters that must be given a non-null value. */
  public Set<String> requiredParameters() {
    return requiredParameters;
  }

  @Override
  public String toString() {
    return "ToolDescriptor[" + signature + "]";
  }

  /** Builds a {@link ToolDescriptor}. */
  public static final class Builder {
    private String name;
    private String description = "";
    private ObjectNode parameters;
    private JsonNode returns;
    private boolean strict;
    private boolean async;
    private String signature;
    private Effect effect = Effect.MUTATING;

    private Builder() {}

    /**
     * The tool's name; must match {@code ^[a-zA-Z0-9_-]{1,64}$} and not be {@code join}, in any
     * case.
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** What the tool does; defaults to empty. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** The parameters' JSON Schema, an object schema. */
    public Builder parameters(ObjectNode parameters) {
      this.parameters = Objects.requireNonNull(parameters, "parameters");
      return this;
    }

    /** The parameters' JSON Schema as JSON text, an object schema. */
    public Builder parameters(String parametersJson) {
      JsonNode node = parse("parameters", parametersJson);
      if (!node.isObject()) {
        throw new IllegalArgumentException(
            "parameters must be a JSON object schema, got: " + parametersJson);
      }
      return parameters((ObjectNode) node);
    }

    /** The result's JSON Schema. */
    public Builder returns(JsonNode returns) {
      this.returns = Objects.requireNonNull(returns, "returns");
      return this;
    }

    /** The result's JSON Schema as JSON text. */
    public Builder returns(String returnsJson) {
      return returns(parse("returns", returnsJson));
    }

    /** Whether the parameters schema is OpenAI-strict; defaults to {@code false}. */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /** Whether the tool is asynchronous; defaults to {@code false}. */
    public Builder async(boolean async) {
      this.async = async;
      return this;
    }

    /** The prompt signature line. */
    public Builder signature(String signature) {
      this.signature = Objects.requireNonNull(signature, "signature");
      return this;
    }

    /**
     * What calling the tool does to the world; defaults to {@link Effect#MUTATING}, the
     * conservative reading for a tool that declares nothing (see {@link Effect}).
     */
    public Builder effect(Effect effect) {
      this.effect = Objects.requireNonNull(effect, "effect");
      return this;
    }

    /**
     * Builds the descriptor.
     *
     * @throws IllegalStateException if a required property was not set
     * @throws IllegalArgumentException if the name is not a valid tool name, or is {@code join} in
     *     any case, which plans use to end a round
     */
    public ToolDescriptor build() {
      require(name, "name");
      require(parameters, "parameters");
      require(returns, "returns");
      require(signature, "signature");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "Tool name '" + name + "' is invalid: use 1 to 64 letters, digits, '_' or '-'.");
      }
      // The plan parser reads join(...) in any case as the end of the plan, so such a tool could
      // never be called.
      if (name.equalsIgnoreCase("join")) {
        throw new IllegalArgumentException(
            "Tool name '"
                + name
                + "' is reserved: `join` ends a plan, so the"
                + " planner could never call this tool. Rename the tool, e.g. 'join_text'.");
      }
      return new ToolDescriptor(this);
    }

    private static void require(Object value, String property) {
      if (value == null) {
        throw new IllegalStateException("`" + property + "` is required but was not set");
      }
    }

    private static JsonNode parse(String what, String json) {
      return Json.parse(Objects.requireNonNull(json, what), what);
    }
  }
}
