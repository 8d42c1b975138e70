package dev.llmcompiler.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IDEs complete the properties: the configuration processor wrote {@code
 * META-INF/spring-configuration-metadata.json} into the starter, with a description for every
 * property. Run from the spring-boot4-tests module, the file is read from the starter's jar.
 */
class ConfigurationMetadataTest {

  @Test
  void everyPropertyIsListedWithADescription() throws Exception {
    URL url =
        LlmCompilerProperties.class
            .getClassLoader()
            .getResource("META-INF/spring-configuration-metadata.json");
    assertThat(url).as("the configuration metadata").isNotNull();
    assertThat(url.toString())
        .containsAnyOf("llmcompiler-spring-boot-starter", "spring-boot-starter/target/classes");
    JsonNode metadata;
    try (InputStream in = url.openStream()) {
      metadata = new ObjectMapper().readTree(in);
    }
    Map<String, String> descriptions = new LinkedHashMap<>();
    metadata
        .get("properties")
        .forEach(
            property ->
                descriptions.put(
                    property.get("name").asText(), property.path("description").asText("")));
    assertThat(descriptions.keySet())
        .containsExactlyInAnyOrder(
            "llmcompiler.openai.base-url",
            "llmcompiler.openai.api-key",
            "llmcompiler.openai.model",
            "llmcompiler.openai.connect-timeout",
            "llmcompiler.openai.idle-timeout",
            "llmcompiler.openai.max-retries",
            "llmcompiler.openai.temperature",
            "llmcompiler.openai.warm-up",
            "llmcompiler.run-deadline",
            "llmcompiler.tool-timeout",
            "llmcompiler.tool-timeouts",
            "llmcompiler.tool-concurrency",
            "llmcompiler.max-replans",
            "llmcompiler.max-tasks-per-plan",
            "llmcompiler.max-observation-chars",
            "llmcompiler.planner-instructions",
            "llmcompiler.context-propagation.enabled");
    descriptions.forEach((name, description) -> assertThat(description).as(name).isNotBlank());
    assertThat(descriptions.get("llmcompiler.openai.api-key")).contains("OPENAI_API_KEY");
  }
}
