/**
 * Context management (spec §6), RLM (§7) and AI titles (§8.2), as a library the agent loop calls.
 *
 * <p>Per step the loop calls {@link dev.tether.context.ContextManager#derive} and sends
 * {@code [system prompt] + DerivedContext.messages()}; {@code DerivedContext.requestTokens()} and {@code budget()}
 * are the values of the step's {@code token_estimate}. On a context-length error it re-derives with
 * {@code budgetHalved = true} and reason {@code PROMPT_TOO_LONG}, then calls
 * {@link dev.tether.context.ContextManager#forceCompaction} with keep-last 6, 3, 1, skipping attempts whose messages
 * equal the previous attempt's. After a tool finishes it asks {@link dev.tether.context.RlmEngine#shouldRoute} and,
 * when true, {@link dev.tether.context.RlmEngine#route}. Before step 1 of a turn with a null title it calls
 * {@link dev.tether.context.TitleGenerator#generate}.
 *
 * <p>Usage of auxiliary model calls reaches the caller through the {@link dev.tether.context.UsageSink} passed in
 * each request, one delta per successful call, as it happens (also when the operation is then cancelled); the result
 * records carry the same total for information. Add either the sink's deltas or the totals, never both.
 */
package dev.tether.context;
