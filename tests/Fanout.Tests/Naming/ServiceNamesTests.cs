using Fanout.Bus.Naming;

namespace Fanout.Tests.Naming;

public class ServiceNamesTests
{
    [Theory]
    [InlineData("service1")]
    [InlineData("my.service1")]
    [InlineData("zato.helpers.input-logger")]
    [InlineData("a_b-c.d")]
    [InlineData("amqp.orders")]
    [InlineData("amq")]
    public void Dotted_identifiers_are_valid(string name) => Assert.Null(ServiceNames.Problem(name));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("has space", "invalid")]
    [InlineData("wild*card", "invalid")]
    [InlineData("topic.#", "invalid")]
    [InlineData(".leading-dot", "invalid")]
    [InlineData("fanout.orchestrator", "reserved")]
    [InlineData("amq.gen-x", "reserved by RabbitMQ")]
    [InlineData("AMQ.Direct", "reserved by RabbitMQ")]
    public void Invalid_names_are_explained(string name, string expectedWord)
    {
        var problem = ServiceNames.Problem(name);
        Assert.NotNull(problem);
        Assert.Contains(expectedWord, problem);
    }

    [Fact]
    public void Names_over_the_limit_are_refused() =>
        Assert.Contains("limit", ServiceNames.Problem(new string('a', ServiceNames.MaxLength + 1)));
}
