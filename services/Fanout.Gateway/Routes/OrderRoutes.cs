using System.Text.Json;
using Fanout.Bus.Naming;
using Fanout.Bus.Requests;
using Fanout.Contracts;
using Fanout.Gateway.Http;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Gateway.Routes;

/// <summary>FIFO orders over HTTP: submit (202 at once), read, list, discard while in standby.</summary>
internal static class OrderRoutes
{
    const string DefaultFifo = "orders";
    const int DefaultLimit = 50;
    const string RegistryUnanswered = "The FIFO registry did not answer in time.";

    public static IEndpointRouteBuilder MapOrderRoutes(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/v1/orders").AddEndpointFilter<UnansweredRequestFilter>()
            .AddEndpointFilter<ApiKeyFilter>();
        orders.MapPost("", Submit)
            .WithSummary("Queue an order (any JSON body, kept as its parameters) on a FIFO; " +
                         "?fifo= or a \"fifo\" field picks it")
            .WhenUnanswered("No FIFO registry (Fanout.Fifo) answered in time. The submission expires unread if " +
                            "none is running; list the orders before sending it again.");
        orders.MapGet("/{orderId}", Get).WithSummary("One order").WhenUnanswered(RegistryUnanswered);
        orders.MapGet("", List).WithSummary("Orders, newest first; ?status=&fifo=&limit=&before=")
            .WhenUnanswered(RegistryUnanswered);
        orders.MapDelete("/{orderId}", Discard)
            .WithSummary("Discard an order still in standby (409 once it started)")
            .WhenUnanswered(RegistryUnanswered);
        app.MapGet("/v1/fifos", Lines).AddEndpointFilter<UnansweredRequestFilter>().AddEndpointFilter<ApiKeyFilter>()
            .WithSummary("FIFO lines: orders waiting and processing (counted over all orders), the order running, " +
                         "the lease (holder, fencing token, expiry)")
            .WhenUnanswered(RegistryUnanswered);
        // Anything else on these paths is 405 with a problem document, not the catch-all 404.
        orders.MapMethods("", ["PUT", "PATCH", "DELETE"], NotAllowed).ExcludeFromDescription();
        orders.MapMethods("/{orderId}", ["PUT", "PATCH", "POST"], NotAllowed).ExcludeFromDescription();
        return app;
    }

    static ProblemHttpResult NotAllowed(HttpRequest request) =>
        Problems.Of(StatusCodes.Status405MethodNotAllowed, "Method not allowed", ErrorCodes.MethodNotAllowed,
            $"{request.Method} is not supported on {request.Path}; see /openapi/v1.json.");

    static async Task<Results<Accepted<OrderDocument>, ProblemHttpResult>> Submit(
        HttpRequest request, string? fifo, JsonBody json, OrderSubmitter submitter)
    {
        var (body, error) = await json.ReadAsync<JsonDocument>(request);
        if (error is not null)
            return error;
        var parameters = body!.RootElement.Clone();
        if (fifo is null && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("fifo", out var field))
            fifo = field.ValueKind == JsonValueKind.String ? field.GetString() : "";
        fifo ??= DefaultFifo;
        if (ServiceNames.Problem(fifo) is { } problem)
            return Problems.BadRequest(ErrorCodes.InvalidServiceName, $"FIFO name: {problem}", "fifo");
        var order = await submitter.SubmitAsync(
            new OrderSubmission { OrderId = OrderIds.New(), Fifo = fifo, Parameters = parameters },
            request.HttpContext.RequestAborted);
        return TypedResults.Accepted($"/v1/orders/{order.OrderId}", order);
    }

    static async Task<Results<Ok<OrderDocument>, ProblemHttpResult>> Get(
        string orderId, IBus bus, GatewaySettings settings, CancellationToken cancellationToken)
    {
        var response = await bus.CreateRequestClient<GetOrder>(Timeout(settings))
            .GetResponse<OrderDocument, OrderNotFound>(new GetOrder { OrderId = orderId }, cancellationToken);
        return response.Is(out Response<OrderDocument>? found)
            ? TypedResults.Ok(found.Message)
            : Problems.NotFound($"No order '{orderId}'.");
    }

    static async Task<Results<Ok<OrderList>, ProblemHttpResult>> List(
        string? status, string? fifo, int? limit, long? before, IBus bus, GatewaySettings settings,
        CancellationToken cancellationToken)
    {
        if (status is not null && !OrderStates.All.Contains(status))
            return Problems.BadRequest(ErrorCodes.UnknownState,
                $"status '{status}' is unknown: use one of {string.Join(", ", OrderStates.All)}", "status");
        if (ListLimit.Problem(limit) is { } limitProblem)
            return Problems.BadRequest(ErrorCodes.LimitOutOfRange, limitProblem, "limit");
        var response = await bus.CreateRequestClient<ListOrders>(Timeout(settings))
            .GetResponse<OrderList>(new ListOrders
            {
                Status = status, Fifo = fifo, Limit = limit ?? DefaultLimit, Before = before,
            }, cancellationToken);
        return TypedResults.Ok(response.Message);
    }

    static async Task<Ok<FifoLineList>> Lines(IBus bus, GatewaySettings settings,
        CancellationToken cancellationToken) =>
        TypedResults.Ok((await bus.CreateRequestClient<ListFifoLines>(Timeout(settings))
            .GetResponse<FifoLineList>(new ListFifoLines(), cancellationToken)).Message);

    static async Task<Results<Ok<OrderDocument>, ProblemHttpResult>> Discard(
        string orderId, IBus bus, GatewaySettings settings, CancellationToken cancellationToken)
    {
        var outcome = (await bus.CreateRequestClient<DiscardOrder>(Timeout(settings))
            .GetResponse<DiscardOutcome>(new DiscardOrder { OrderId = orderId }, cancellationToken)).Message;
        return outcome.Outcome switch
        {
            DiscardOutcome.Discarded => TypedResults.Ok(outcome.Order),
            DiscardOutcome.NotFound => Problems.NotFound($"No order '{orderId}'."),
            _ => Problems.Conflict(ErrorCodes.OrderStarted,
                $"Order '{orderId}' is {outcome.Order?.Status}; only an order in standby can be discarded."),
        };
    }

    static RequestTimeout Timeout(GatewaySettings settings) =>
        RequestTimeout.After(ms: (int)settings.OrchestratorTimeout.TotalMilliseconds);
}
