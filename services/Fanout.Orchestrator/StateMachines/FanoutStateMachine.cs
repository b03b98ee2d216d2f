using Fanout.Bus.Naming;
using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Orchestrator.Activities;
using Fanout.Orchestrator.Messages;
using Fanout.Orchestrator.Runs;
using MassTransit;

namespace Fanout.Orchestrator.StateMachines;

/// <summary>
/// One instance per CID. <see cref="InvokeFanout"/> stores the run and invokes its targets; results arrive in
/// batches from services or one by one from external systems, and are recorded once per target name. When every
/// target finished, or the deadline passed, or the run was cancelled, the final callbacks are requested once.
/// Every message it emits goes through the outbox, committed with the state change that caused it. The targets a
/// message finishes travel in the saga: the step that records them adds them to <see cref="FanoutSaga.JustFinished"/>
/// (marked below), and <see cref="AnnounceStateActivity"/> lists them in the <c>FanoutStateChanged</c> it raises.
/// </summary>
public sealed class FanoutStateMachine : MassTransitStateMachine<FanoutSaga>
{
    public FanoutStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Invoked, e =>
        {
            e.CorrelateById(context => CorrelationIds.ToGuid(RunCid.Of(context)));
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
                        .Activity(x => x.OfType<CheckLiveServicesActivity>())
                        .IfElse(CheckLiveServicesActivity.Refuses,
                            refused => refused
                                .Activity(x => x.OfType<RejectUnknownServiceActivity>())
                                .Finalize(),
                            accepted => accepted
                                .Activity(x => x.OfType<StartFanoutActivity>())
                                .TransitionTo(Running)
                                .Activity(x => x.OfInstanceType<AnnounceStartActivity>())),
                    invalid => invalid
                        .Activity(x => x.OfType<RejectInvalidRequestActivity>())
                        .Finalize()));

        DuringAny(
            When(Invoked)
                .Activity(x => x.OfType<AnswerRepeatedInvokeActivity>()));

        During(Running,
            When(ResultsArrived)
                .Activity(x => x.OfType<RecordResultsActivity>()) // its results, any it cancelled: JustFinished
                .If(AllFinished, finished => finished
                    .Activity(x => x.OfInstanceType<CompleteFanoutActivity>())
                    .TransitionTo(Completed))
                .Activity(x => x.OfInstanceType<AnnounceStateActivity>()), // the run and its JustFinished
            When(ExternalResultArrived)
                .Activity(x => x.OfType<SubmitResultActivity>()) // its result, any it cancelled: JustFinished
                .If(AllFinished, finished => finished
                    .Activity(x => x.OfInstanceType<CompleteFanoutActivity>())
                    .TransitionTo(Completed))
                .Activity(x => x.OfInstanceType<AnnounceStateActivity>()), // the run and its JustFinished
            When(DeadlineReached)
                .Activity(x => x.OfType<TimeOutRunActivity>()) // the targets it timed out: JustFinished
                .Activity(x => x.OfInstanceType<CompleteFanoutActivity>())
                .TransitionTo(TimedOut)
                .Activity(x => x.OfInstanceType<AnnounceStateActivity>()), // the run and its JustFinished
            When(CancelRequested)
                .Activity(x => x.OfType<CancelRunActivity>()) // the targets it cancelled: JustFinished
                .Activity(x => x.OfInstanceType<CompleteFanoutActivity>())
                .TransitionTo(Cancelled)
                .Activity(x => x.OfInstanceType<AnnounceStateActivity>()) // the run and its JustFinished
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
                    Cid = context.Saga.Cid,
                    Outcome = CancelOutcome.AlreadyFinished,
                    State = RunStates.ToPublic(context.Saga.CurrentState),
                })));

        SetCompletedWhenFinalized();
    }

    // MassTransit stores these properties' names in CurrentState: they must match RunStates.
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

    static Task LogUnknownCid(ConsumeContext<RecordTargetResults> context)
    {
        LogContext.Warning?.Log("Results for unknown CID {Cid} ignored ({Count} targets)",
            context.Message.Cid, context.Message.Results.Count);
        return Task.CompletedTask;
    }
}
