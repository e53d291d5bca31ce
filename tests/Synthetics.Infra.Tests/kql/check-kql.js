// Parses KQL queries with Microsoft's Kusto language service (@kusto/language-service-next, the parser behind the
// Azure portal's query editors) against the Application Insights tables the alert rules and the workbook read, and
// prints every diagnostic as JSON: syntax errors, unknown tables, columns and functions, type errors.
//
// Input (stdin): [{ "name": "...", "query": "..." }, ...]
// Output (stdout): [{ "name": "...", "diagnostics": [{ "severity", "code", "message", "start", "length" }] }, ...]
// Exit code 0 when the queries were checked (whatever they contain); 2 when the input or the parser is unusable.
'use strict';

// The package is a Bridge.NET build of Kusto.Language: its runtime (bridge.js) defines the globals it needs first.
require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next');

const Kusto = globalThis.Kusto.Language;
const Symbols = Kusto.Symbols;

// Columns every Application Insights (classic, resource-centric) table has: what a rule scoped to the component sees.
const common = [
  'timestamp:datetime', 'itemType:string', 'customDimensions:dynamic', 'customMeasurements:dynamic',
  'operation_Name:string', 'operation_Id:string', 'operation_ParentId:string', 'operation_SyntheticSource:string',
  'session_Id:string', 'user_Id:string', 'user_AuthenticatedId:string', 'user_AccountId:string',
  'application_Version:string', 'client_Type:string', 'client_Model:string', 'client_OS:string', 'client_IP:string',
  'client_City:string', 'client_StateOrProvince:string', 'client_CountryOrRegion:string', 'client_Browser:string',
  'cloud_RoleName:string', 'cloud_RoleInstance:string', 'appId:string', 'appName:string', 'iKey:string',
  'sdkVersion:string', 'itemId:string', 'itemCount:int',
];

// Table-specific columns. success is a string in these tables ("1"/"0" for availability results), as the Application
// Insights query API reports it; only the workspace tables (AppAvailabilityResults…) have a bool Success.
const tables = {
  customEvents: ['name:string'],
  availabilityResults: ['id:string', 'name:string', 'location:string', 'success:string', 'message:string', 'size:real',
    'duration:real', 'performanceBucket:string'],
  traces: ['message:string', 'severityLevel:int'],
  requests: ['id:string', 'source:string', 'name:string', 'url:string', 'success:string', 'resultCode:string',
    'duration:real', 'performanceBucket:string'],
  dependencies: ['id:string', 'target:string', 'type:string', 'name:string', 'data:string', 'success:string',
    'resultCode:string', 'duration:real', 'performanceBucket:string'],
  exceptions: ['problemId:string', 'handledAt:string', 'type:string', 'message:string', 'assembly:string',
    'method:string', 'outerType:string', 'outerMessage:string', 'innermostType:string', 'innermostMessage:string',
    'severityLevel:int', 'details:dynamic'],
  customMetrics: ['name:string', 'value:real', 'valueCount:int', 'valueSum:real', 'valueMin:real', 'valueMax:real',
    'valueStdDev:real'],
};

function globals() {
  const symbols = Object.entries(tables).map(([name, columns]) =>
    new Symbols.TableSymbol.$ctor7(name, `(${[...columns, ...common].join(', ')})`, null));
  // Closed database (isOpen false): a table or column it does not declare is an error, not an unknown to tolerate.
  const database = new Symbols.DatabaseSymbol.$ctor1('ApplicationInsights', symbols, false);
  return Kusto.GlobalState.Default.WithDatabase(database);
}

function check(query, state) {
  const code = Kusto.KustoCode.ParseAndAnalyze(query, state);
  const found = code.GetDiagnostics();
  const diagnostics = [];
  for (let i = 0; i < found.Count; i++) {
    const d = found.getItem(i);
    diagnostics.push({ severity: d.Severity, code: d.Code, message: d.Message, start: d.Start, length: d.Length });
  }
  return diagnostics;
}

function main() {
  let input;
  try {
    input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    if (!Array.isArray(input)) throw new Error('expected an array of { name, query }');
  } catch (error) {
    process.stderr.write(`check-kql: bad input: ${error.message}\n`);
    process.exit(2);
  }
  const state = globals();
  const results = input.map(({ name, query }) => ({ name, diagnostics: check(String(query), state) }));
  process.stdout.write(JSON.stringify(results));
}

main();
