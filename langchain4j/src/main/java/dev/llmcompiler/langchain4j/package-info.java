/**
 * LangChain4j interop: {@link dev.llmcompiler.langchain4j.LangChain4jLlm} runs the planner and
 * joiner on any LangChain4j {@code StreamingChatModel}, and {@link
 * dev.llmcompiler.langchain4j.LangChain4jTools} hands generated tool sets to LangChain4j's AI
 * Services as tools.
 */
package dev.llmcompiler.langchain4j;
