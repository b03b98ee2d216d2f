using Fanout.Bus.Naming;
using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Orchestrator.Activities;
using Fanout.Orchestrator.Persistence;
using MassTransit;

namespace Fanout.Orchestrator.StateMachines;

/// <summary>
/// One instance per CID. <see cref="InvokeFanout"/> stores the run and invokes its targets; results arrive in
/// batches from services or one by one from external systems, and are recorded once per target name. When every
/// target finished, or the deadline passed, or the run was cancelled, the final callbacks are requested once.
/// Every message it emits goes through the outbox, committed with the state change that caused it.
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
        Event(() => ExternalResultArrived, e =>
        {
            e.CorrelateById(context => CorrelationIds.ToGuid(context.Message.Cid));
            e.OnMissingInstance(m => m.ExecuteAsync(context => context.RespondAsync(new TargetResultOutcome
            {
                Cid = context.Message.Cid, Target = context.Message.Target,
                Outcome = TargetResultOutcome.NotFound, Detail = $"no run with CID '{context.Message.Cid}'",
            })));
        });
        Event(() => DeadlineReached, e =>
        {
            e.CorrelateById(context => CorrelationIds.ToGuid(context.Message.Cid));
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => CancelRequested, e =>
        {
            e.CorrelateById(context => CorrelationIds.ToGuid(context.Message.Cid));
            e.OnMissingInstance(m => m.ExecuteAsync(context => context.RespondAsync(new CancelOutcome
            {
                Cid = context.Message.Cid, Outcome = CancelOutcome.NotFound,
            })));
        });

        Initially(
            When(Invoked)
                .IfElse(context => FanoutRequestValidator.Problems(context.Message).Count == 0,
                    valid => valid
                        .Activity(x => x.OfType<StartFanoutActivity>())
                        .TransitionTo(Running)
                        .Activity(x => x.OfType<AnnounceStateActivity<InvokeFanout>>()),
                    invalid => invalid
                        .Activity(x => x.OfType<RejectInvalidRequestActivity>())
                        .Finalize()));

        DuringAny(
            When(Invoked)
                .Activity(x => x.OfType<AnswerRepeatedInvokeActivity>()));

        During(Running,
            When(ResultsArrived)
                .Activity(x => x.OfType<RecordResultsActivity>())
                .If(AllFinished, finished => finished
                    .Activity(x => x.OfType<CompleteFanoutActivity<RecordTargetResults>>())
                    .TransitionTo(Completed))
                .Activity(x => x.OfType<AnnounceStateActivity<RecordTargetResults>>()),
            When(ExternalResultArrived)
                .Activity(x => x.OfType<SubmitResultActivity>())
                .If(AllFinished, finished => finished
                    .Activity(x => x.OfType<CompleteFanoutActivity<SubmitTargetResult>>())
                    .TransitionTo(Completed))
                .Activity(x => x.OfType<AnnounceStateActivity<SubmitTargetResult>>()),
            When(DeadlineReached)
                .Activity(x => x.OfType<TimeOutRunActivity>())
                .Activity(x => x.OfType<CompleteFanoutActivity<FanoutDeadlineReached>>())
                .TransitionTo(TimedOut)
                .Activity(x => x.OfType<AnnounceStateActivity<FanoutDeadlineReached>>()),
            When(CancelRequested)
                .Activity(x => x.OfType<CancelRunActivity>())
                .Activity(x => x.OfType<CompleteFanoutActivity<CancelFanout>>())
                .TransitionTo(Cancelled)
                .Activity(x => x.OfType<AnnounceStateActivity<CancelFanout>>())
                .ThenAsync(context => context.RespondAsync(new CancelOutcome
                {
                    Cid = context.Saga.Cid, Outcome = CancelOutcome.Cancelled, State = FanoutStates.Cancelled,
                })));

        During(Completed, TimedOut, Cancelled,
            When(ResultsArrived)
                .Activity(x => x.OfType<IgnoreLateResultsActivity>()),
            When(ExternalResultArrived)
                .Activity(x => x.OfType<SubmitResultActivity>()),
            Ignore(DeadlineReached),
            When(CancelRequested)
                .ThenAsync(context => context.RespondAsync(new CancelOutcome
                {
                    Cid = context.Saga.Cid, Outcome = CancelOutcome.AlreadyFinished, State = PublicState(context.Saga.CurrentState),
                })));

        SetCompletedWhenFinalized();
    }

    public State Running { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State TimedOut { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    public Event<InvokeFanout> Invoked { get; private set; } = null!;
    public Event<RecordTargetResults> ResultsArrived { get; private set; } = null!;
    public Event<SubmitTargetResult> ExternalResultArrived { get; private set; } = null!;
    public Event<FanoutDeadlineReached> DeadlineReached { get; private set; } = null!;
    public Event<CancelFanout> CancelRequested { get; private set; } = null!;

    static bool AllFinished<T>(BehaviorContext<FanoutSaga, T> context) where T : class =>
        context.Saga.FinishedCount >= context.Saga.TargetCount;

    /// <summary>The CID a request runs under: the caller's, else one derived from the message id (stable across redelivery).</summary>
    public static string EffectiveCid(ConsumeContext<InvokeFanout> context) =>
        string.IsNullOrEmpty(context.Message.Cid)
            ? (context.MessageId ?? NewId.NextGuid()).ToString("N")
            : context.Message.Cid;

    /// <summary>The state names users see (<see cref="FanoutStates"/>) for the names stored in <c>CurrentState</c>.</summary>
    public static string PublicState(string currentState) => currentState switch
    {
        nameof(Running) => FanoutStates.Running,
        nameof(Completed) => FanoutStates.Completed,
        nameof(TimedOut) => FanoutStates.TimedOut,
        nameof(Cancelled) => FanoutStates.Cancelled,
        _ => currentState.ToLowerInvariant(),
    };

    /// <summary>The stored state name for a public one, or null when unknown.</summary>
    public static string? StoredState(string publicState) => publicState switch
    {
        FanoutStates.Running => nameof(Running),
        FanoutStates.Completed => nameof(Completed),
        FanoutStates.TimedOut => nameof(TimedOut),
        FanoutStates.Cancelled => nameof(Cancelled),
        _ => null,
    };

    static Task LogUnknownCid(ConsumeContext<RecordTargetResults> context)
    {
        LogContext.Warning?.Log("Results for unknown CID {Cid} ignored ({Count} targets)", context.Message.Cid, context.Message.Results.Count);
        return Task.CompletedTask;
    }
}
