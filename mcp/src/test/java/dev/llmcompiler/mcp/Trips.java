package dev.llmcompiler.mcp;

import dev.llmcompiler.annotations.Effect;
import dev.llmcompiler.annotations.Tool;
import java.util.Map;

/**
 * Tools the server tests serve, compiled by the real annotation processor into {@code TripsTools}:
 * an object result with an optional field, a number, a string, and a tool that always fails; the
 * first two declare that they are read-only, the others declare nothing (so they are mutating).
 */
public class Trips {
  private static final Map<String, Double> FARES = Map.of("Paris-Rome", 89.5, "Paris-Oslo", 120.0);

  /**
   * A fare between two cities.
   *
   * @param from the departure city
   * @param to the arrival city
   * @param price the price in euros
   * @param note a remark, if there is one
   */
  public record Fare(String from, String to, double price, @Nullable String note) {}

  /**
   * The fare between two cities, for all passengers.
   *
   * @param from the departure city
   * @param to the arrival city
   * @param passengers how many travel; one if not given
   */
  @Tool(effect = Effect.READ_ONLY)
  public Fare fare(String from, String to, @Nullable Integer passengers) {
    Double price = FARES.get(from + "-" + to);
    if (price == null) {
      throw new IllegalArgumentException("no fare from " + from + " to " + to);
    }
    int travellers = passengers == null ? 1 : passengers;
    return new Fare(
        from, to, price * travellers, travellers > 1 ? "for " + travellers + " passengers" : null);
  }

  /**
   * Euros in US dollars, at a fixed rate.
   *
   * @param euros the amount in euros
   */
  @Tool(effect = Effect.READ_ONLY)
  public double dollars(double euros) {
    return euros * 1.25;
  }

  /**
   * A greeting.
   *
   * @param name whom to greet
   */
  @Tool
  public String greet(String name) {
    return "Hello, " + name;
  }

  /**
   * Opening hours of the travel office in a city.
   *
   * @param city the city
   */
  @Tool
  public String office(String city) {
    throw new IllegalStateException("the office in " + city + " is closed");
  }
}
