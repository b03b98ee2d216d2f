namespace Fanout.Orchestrator.Runs;

/// <summary>
/// A message a step of the saga emits (<see cref="FanoutSaga.Emitted"/>): published, or sent to <see cref="Queue"/>.
/// The saga's repository stores it in the outbox in the saga's transaction.
/// </summary>
public sealed record EmittedMessage(object Message, string? Queue);
