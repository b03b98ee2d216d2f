using Fanout.Bus.Naming;
using Fanout.Contracts;
using Fanout.Orchestrator.Activities;
using Fanout.Orchestrator.Persistence;
using MassTransit;

namespace Fanout.Orchestrator.StateMachines;

/// <summary>
/// One instance per CID. <see cref="InvokeFanout"/> stores the fan-out and invokes every target; batches of
/// completions are recorded (once per target name); when every target finished the final callbacks are
/// requested. Every message it emits goes through the outbox, committed with the state change that caused it.
/// </summary>
public sealed class FanoutStateMachine : MassTransitStateMachine<FanoutSaga>
{
    public FanoutStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Invoked, e =>
        {
            e.CorrelateById(context => CorrelationIds.ToGuid(EffectiveCid(context)));
            e.InsertOnInitial = false;
        });
        Event(() => ResultsArrived, e =>
        {
            e.CorrelateById(context => CorrelationIds.ToGuid(context.Message.Cid));
            e.OnMissingInstance(m => m.Execute(context => LogUnknownCid(context)));
        });

        Initially(
            When(Invoked)
                .IfElse(context => FanoutRequestValidator.Problems(context.Message).Count == 0,
                    valid => valid
                        .Activity(x => x.OfType<StartFanoutActivity>())
                        .TransitionTo(Running),
                    invalid => invalid
                        .Activity(x => x.OfType<RejectInvalidRequestActivity>())
                        .Finalize()));

        During(Running, Completed,
            When(Invoked)
                .Activity(x => x.OfType<AnswerRepeatedInvokeActivity>()));

        During(Running,
            When(ResultsArrived)
                .Activity(x => x.OfType<RecordResultsActivity>())
                .If(context => context.Saga.FinishedCount >= context.Saga.TargetCount,
                    finished => finished
                        .Activity(x => x.OfType<CompleteFanoutActivity>())
                        .TransitionTo(Completed)));

        During(Completed,
            When(ResultsArrived)
                .Activity(x => x.OfType<IgnoreLateResultsActivity>()));

        SetCompletedWhenFinalized();
    }

    public State Running { get; private set; } = null!;
    public State Completed { get; private set; } = null!;

    public Event<InvokeFanout> Invoked { get; private set; } = null!;
    public Event<RecordTargetResults> ResultsArrived { get; private set; } = null!;

    /// <summary>The CID a request runs under: the caller's, else one derived from the message id (stable across redelivery).</summary>
    public static string EffectiveCid(ConsumeContext<InvokeFanout> context) =>
        string.IsNullOrEmpty(context.Message.Cid)
            ? (context.MessageId ?? NewId.NextGuid()).ToString("N")
            : context.Message.Cid;

    static Task LogUnknownCid(ConsumeContext<RecordTargetResults> context)
    {
        LogContext.Warning?.Log("Results for unknown CID {Cid} ignored ({Count} targets)", context.Message.Cid, context.Message.Results.Count);
        return Task.CompletedTask;
    }
}
