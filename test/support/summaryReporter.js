/**
 * Prints the closing line CI reads, alone on a line: "N passed, N failed". A suite that could
 * not run at all (a compile error, a crash) counts as one failure. Jest always adds its own
 * summary after every configured reporter, so the line is written when the process exits.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `\n${results.numPassedTests} passed, ${failed} failed\n`;
    process.once('exit', () => process.stdout.write(line));
  }
}
module.exports = SummaryReporter;
