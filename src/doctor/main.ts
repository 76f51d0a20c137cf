/**
 * `npm run doctor [-- --json]`: "why doesn't my bot answer?" in one command.
 *
 * With `WEBEX_BOT_TOKEN`, `WEBHOOK_URL` and `WEBHOOK_SECRET` (environment or `.env`, as for
 * `npm start`) it checks that deployment, the running bot included; `WEBEX_API_URL` may point
 * at an emulator. With no token it starts a bot against the built-in emulator and checks that.
 * Exit code 0 when no check failed, 1 otherwise. It never ends in a stack trace.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectLayout } from '../start/layout.js';
import { loadConfig, readEnvironment, type Config } from '../config.js';
import { isBotError } from '../errors.js';
import { routeConsoleToLog } from '../log-console.js';
import { createLogger, type Logger } from '../logging.js';
import { WEBEX_CLOUD_API_URL } from '../protocol/limits.js';
import { checkNode, checkProxy } from './checks/environment.js';
import { checkConfig, configProblems } from './checks/config.js';
import { devBotChecks, devTarget } from './dev-target.js';
import { startEmulatedDeployment, type EmulatedDeployment } from './emulator-target.js';
import { exitCodeOf, renderJson, renderText, reportOf, type CheckResult, type DoctorReport } from './report.js';
import { runDoctor, type DoctorEnvironment } from './run.js';

// The project in the working directory (its .env); the toolkit's package.json says which Node.js it needs.
const { root: projectRoot, toolkitRoot } = projectLayout(import.meta.url, 1);

const USAGE = `Usage: npm run doctor [-- --json]

Checks a Webex bot deployment and says, for each check, what it saw and what to do:
the token, the webhooks, WEBHOOK_URL end to end (self-tests the running bot answers without
acting), the secret, the clock, proxy variables, Node.js, and group spaces without @mentions.
Reads the same settings as npm start (environment, then .env). Without WEBEX_BOT_TOKEN it
checks a bot it starts against the built-in emulator. Exit code: 0 when no check failed, else 1.

  --json   the report as JSON`;

function nodeRange(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(toolkitRoot, 'package.json'), 'utf8')) as {
      engines?: { node?: string };
    };
    return pkg.engines?.node;
  } catch {
    return undefined;
  }
}

function print(report: DoctorReport, json: boolean): never {
  process.stdout.write(json ? renderJson(report) : renderText(report));
  process.exit(exitCodeOf(report));
}

/** The options given: `--json` or not; `undefined` once `--help` is answered. Exits on an unknown option. */
function parseArgs(args: readonly string[]): { json: boolean } | undefined {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return undefined;
  }
  const unknown = args.filter((a) => a !== '--json');
  if (unknown.length > 0) {
    process.stderr.write(`Unknown option ${unknown.join(' ')}\n\n${USAGE}\n`);
    process.exit(1);
  }
  return { json: args.includes('--json') };
}

/** The configuration; when it is invalid, the report of what can be checked without it, and the exit. */
function configOrReport(environment: DoctorEnvironment, json: boolean): Config {
  const { env } = environment;
  try {
    return loadConfig(env, projectRoot);
  } catch (err) {
    if (!isBotError(err, 'CONFIG_INVALID')) throw err;
    const checks: CheckResult[] = [
      configProblems(err.problems),
      checkNode(environment.nodeVersion, environment.nodeRange),
      checkProxy(env['WEBEX_API_URL'] ?? WEBEX_CLOUD_API_URL, env),
    ];
    print(reportOf(env['WEBEX_BOT_TOKEN'] ? 'webex' : 'emulator', checks), json);
  }
}

/** The SDK and the framework talk on the console: that is kept off the report (on stderr at LOG_LEVEL=debug). */
function doctorLog(config: Config): Logger {
  const log: Logger =
    config.logLevel === 'debug'
      ? createLogger({ level: 'debug', format: config.logFormat, stream: process.stderr })
      : createLogger({ silent: true });
  routeConsoleToLog(
    log,
    [config.botToken, config.webhookSecret, config.webhookSecretPrevious].filter((s): s is string => s !== undefined),
  );
  process.on('unhandledRejection', (reason) => log.debug('unhandled rejection during the doctor run', { err: reason }));
  return log;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (!options) return;
  const { json } = options;
  const env = readEnvironment(path.join(projectRoot, '.env'));
  const environment: DoctorEnvironment = { nodeVersion: process.versions.node, nodeRange: nodeRange(), env };
  const config = configOrReport(environment, json);
  const log = doctorLog(config);

  let deployment: EmulatedDeployment | undefined;
  const leading = [checkConfig(config)];
  // No token: the bot `npm run dev` runs, when it runs; else one started here.
  const dev = config.mode === 'emulator' ? devBotChecks(projectRoot, env) : undefined;
  if (dev) leading.splice(0, leading.length, ...dev.checks);
  if (config.mode === 'emulator' && !dev?.bot) {
    try {
      deployment = await startEmulatedDeployment(config, log);
    } catch (err) {
      leading.push({
        id: 'emulator',
        status: 'fail',
        verdict: `could not start a bot against the built-in emulator: ${(err as Error).message}`,
        fix: 'fix what the message names (npm start shows the same error)',
      });
      print(reportOf('emulator', [...leading, checkNode(environment.nodeVersion, environment.nodeRange)]), json);
    }
  }
  const target = (dev?.bot && devTarget(dev.bot)) ??
    deployment?.target ?? {
      mode: 'webex' as const,
      token: config.botToken!,
      apiUrl: config.apiUrl,
      webhookUrl: config.transport === 'websocket' ? undefined : config.webhookUrl,
      webhookSecret: config.transport === 'websocket' ? undefined : config.webhookSecret,
      webhookSecretPrevious: config.webhookSecretPrevious,
    };
  const report = await runDoctor(target, environment, leading);
  await deployment?.stop();
  print(report, json);
}

main().catch((err: unknown) => {
  process.stderr.write(`\nThe doctor failed unexpectedly: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
