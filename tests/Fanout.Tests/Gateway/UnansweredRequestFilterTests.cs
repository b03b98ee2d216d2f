using Fanout.Gateway.Http;
using Fanout.Gateway.Routes;
using MassTransit;
using Microsoft.AspNetCore.Http;
using static Fanout.Tests.Gateway.GatewayRequests;

namespace Fanout.Tests.Gateway;

/// <summary>One filter answers every route whose bus request went unanswered, with that route's advice.</summary>
public class UnansweredRequestFilterTests
{
    [Fact]
    public async Task An_unanswered_bus_request_is_a_503_with_the_routes_advice()
    {
        var request = Post("{}");
        WithAdvice(request.HttpContext, _ => "The orchestrator did not answer the status query in time.");

        var result = await new UnansweredRequestFilter().InvokeAsync(new DefaultEndpointFilterInvocationContext(request.HttpContext),
            _ => throw new RequestTimeoutException("request-1"));

        var problem = Problem(Assert.IsAssignableFrom<IResult>(result));
        Assert.Equal((StatusCodes.Status503ServiceUnavailable, "The orchestrator did not answer the status query in time."),
            (problem.StatusCode, problem.ProblemDetails.Detail));
    }

    [Fact]
    public async Task Other_answers_and_errors_pass_through()
    {
        var context = new DefaultEndpointFilterInvocationContext(new DefaultHttpContext());
        var filter = new UnansweredRequestFilter();

        Assert.Equal("answer", await filter.InvokeAsync(context, _ => ValueTask.FromResult<object?>("answer")));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await filter.InvokeAsync(context, _ => throw new InvalidOperationException()));
    }

    [Fact]
    public async Task An_unanswered_submission_names_the_cid_to_resend()
    {
        // A bus with no orchestrator on it: the request times out after the gateway's timeout.
        var bus = MassTransit.Bus.Factory.CreateUsingInMemory(_ => { });
        await bus.StartAsync();
        try
        {
            var request = Post("""{"cid":"gw-unanswered","targets":{"a":1},"on_final":["cb"]}""");
            WithAdvice(request.HttpContext, RunSubmission.Unanswered);
            using var orchestrator = new RunSubmitter(bus, Settings);
            await orchestrator.StartAsync(CancellationToken.None);

            var result = await new UnansweredRequestFilter().InvokeAsync(new DefaultEndpointFilterInvocationContext(request.HttpContext),
                async _ => await FanoutRoutes.SubmitFanout(request, Json, orchestrator, TimeProvider.System));

            var problem = Problem(Assert.IsAssignableFrom<IResult>(result));
            Assert.Equal(StatusCodes.Status503ServiceUnavailable, problem.StatusCode);
            Assert.StartsWith("No orchestrator accepted CID 'gw-unanswered' in time; resend with the same CID", problem.ProblemDetails.Detail);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    static void WithAdvice(HttpContext context, Func<HttpContext, string> advice) =>
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(new UnansweredAdvice(advice)), "test"));
}
