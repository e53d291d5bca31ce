using System.Text.Json.Nodes;
using Synthetics.Lab.Kubernetes;

namespace Synthetics.Lab.Tests.Kubernetes;

public sealed class JsonPatchTests
{
    private static JsonNode Document() => JsonNode.Parse("""{"spec":{"holderIdentity":"a","list":[1,2]},"metadata":{"labels":{"a/b":"x"}}}""")!;

    [Theory]
    [InlineData("""[{"op":"add","path":"/spec/leaseTransitions","value":3}]""", """{"spec":{"holderIdentity":"a","list":[1,2],"leaseTransitions":3},"metadata":{"labels":{"a/b":"x"}}}""")]
    [InlineData("""[{"op":"add","path":"/spec/list/-","value":3}]""", """{"spec":{"holderIdentity":"a","list":[1,2,3]},"metadata":{"labels":{"a/b":"x"}}}""")]
    [InlineData("""[{"op":"add","path":"/spec/list/0","value":0}]""", """{"spec":{"holderIdentity":"a","list":[0,1,2]},"metadata":{"labels":{"a/b":"x"}}}""")]
    [InlineData("""[{"op":"remove","path":"/metadata/labels/a~1b"}]""", """{"spec":{"holderIdentity":"a","list":[1,2]},"metadata":{"labels":{}}}""")]
    [InlineData("""[{"op":"move","from":"/spec/holderIdentity","path":"/spec/other"}]""", """{"spec":{"list":[1,2],"other":"a"},"metadata":{"labels":{"a/b":"x"}}}""")]
    [InlineData("""[{"op":"copy","from":"/spec/list/1","path":"/spec/n"}]""", """{"spec":{"holderIdentity":"a","list":[1,2],"n":2},"metadata":{"labels":{"a/b":"x"}}}""")]
    public void Apply_ValidOperations_ProducesExpectedDocument(string patch, string expected)
    {
        var result = JsonPatch.Apply(Document(), JsonNode.Parse(patch), out var error);

        Assert.Null(error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result?.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/spec/holderIdentity","value":"b"}]""")]
    [InlineData("""[{"op":"remove","path":"/spec/missing"}]""")]
    [InlineData("""[{"op":"replace","path":"/nope/x","value":1}]""")]
    [InlineData("""{"op":"add"}""")]
    public void Apply_InvalidOperations_ReturnsError(string patch)
    {
        var result = JsonPatch.Apply(Document(), JsonNode.Parse(patch), out var error);

        Assert.Null(result);
        Assert.NotNull(error);
    }

    [Fact]
    public void MergePatch_NullValue_RemovesField()
    {
        var result = MergePatch.Apply(Document(), JsonNode.Parse("""{"spec":{"holderIdentity":null,"x":1}}"""));

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"spec":{"list":[1,2],"x":1},"metadata":{"labels":{"a/b":"x"}}}"""), result));
    }
}
