package dev.llmcompiler.samples.spring;

/**
 * A day's weather forecast.
 *
 * @param city the city
 * @param highCelsius the day's highest temperature, in degrees Celsius
 * @param sky the sky, e.g. "sunny"
 */
public record Forecast(String city, int highCelsius, String sky) {}
