using Synthetics.Detection;

namespace Synthetics.Core.Tests.Detection;

public sealed class DetectionOptionsValidatorTests
{
    private static readonly DetectionOptionsValidator Validator = new();

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(Validator.Validate(null, new DetectionOptions()).Succeeded);
    }

    [Theory]
    [InlineData(1e-7)] // stricter than Alpha: the pool without the worst vantage would be judged harder than the whole
    [InlineData(0.05)] // looser than SustainAlpha
    public void Validate_WithoutWorstAlphaOutsideAlphaToSustainAlpha_FailsNamingIt(double withoutWorstAlpha)
    {
        var result = Validator.Validate(null, new DetectionOptions { WithoutWorstAlpha = withoutWorstAlpha });

        Assert.True(result.Failed);
        Assert.Contains("WithoutWorstAlpha", result.FailureMessage, StringComparison.Ordinal);
    }
}
