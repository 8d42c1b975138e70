/**
 * The plan language's reader, shared by the runtime and the annotation processor (which checks
 * {@code @PlanExample}s with it at build time). Internal: there is no compatibility promise here,
 * and anything may change in any release.
 *
 * <p>{@link dev.llmcompiler.runtime.internal.plan.PlanParser} reads a plan as it streams and emits
 * each {@link dev.llmcompiler.runtime.internal.plan.PlannedTask} the moment its line is complete;
 * {@link dev.llmcompiler.runtime.internal.plan.JsonPlanParser} does the same for a JSON plan, the
 * moment a task's object closes, and {@link dev.llmcompiler.runtime.internal.plan.PlanSchema} is
 * that plan's JSON Schema.
 */
package dev.llmcompiler.runtime.internal.plan;
