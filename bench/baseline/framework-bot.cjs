/*
 * The baseline of the event benchmarks: a bot written with webex-node-bot-framework exactly as its
 * README's "Example Template Using Express" shows (framework + its webhook handler + express and
 * body-parser), answering `echo <text>` with what the project's echo skill answers (the webhook
 * JSON and the values fetched with its ids). Plain JavaScript, run with `node`, as the README's
 * readers run it. Settings come from the environment the benchmark gives it:
 *   WEBEX_BOT_TOKEN, WEBHOOK_URL, WEBHOOK_SECRET, PORT, and HYDRA_SERVICE_URL (the emulator's
 *   API; the SDK reads it at load time), MAX_STARTUP_SPACES (unset: the framework's default).
 */
'use strict';
var Framework = require('webex-node-bot-framework');
var webhook = require('webex-node-bot-framework/webhook');
var express = require('express');
var bodyParser = require('body-parser');
var app = express();
app.use(bodyParser.json());

var config = {
  webhookUrl: process.env.WEBHOOK_URL,
  webhookSecret: process.env.WEBHOOK_SECRET,
  token: process.env.WEBEX_BOT_TOKEN,
  port: Number(process.env.PORT),
};
if (process.env.MAX_STARTUP_SPACES) config.maxStartupSpaces = Number(process.env.MAX_STARTUP_SPACES);

var framework = new Framework(config);
framework.start();

framework.on('initialized', () => {
  console.log('baseline framework initialized');
});

framework.hears('echo', (bot, trigger) => {
  var text = trigger.args.slice(1).join(' ');
  bot.say(
    'markdown',
    [
      '**Webhook received** (messages / created)',
      '```json\n' +
        JSON.stringify(
          { id: trigger.message.id, roomId: trigger.message.roomId, personId: trigger.person.id },
          null,
          2,
        ) +
        '\n```',
      '**Decoded by the bot** (fetched from the Webex API with the IDs above)',
      `- Space: ${bot.room.title} (${bot.room.type})`,
      `- Sender: ${trigger.person.displayName} (${trigger.person.emails[0]})`,
      `- Message: ${text}`,
    ].join('\n\n'),
  );
});

app.post('/webhook', webhook(framework));

var server = app.listen(config.port, '127.0.0.1', () => {
  console.log(`baseline listening on port ${config.port}`);
});

function stop() {
  server.close();
  framework.stop().then(() => {
    process.exit();
  });
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
