// Parses an AsyncAPI document with the reference parser and fails on any error-level diagnostic.
const { Parser } = require('@asyncapi/parser');
const fs = require('fs');
(async () => {
  const { document, diagnostics } = await new Parser().parse(fs.readFileSync(process.argv[2], 'utf8'));
  for (const d of diagnostics) {
    console.log(`severity=${d.severity} ${d.code}: ${d.message} at ${d.path.join('.')}`);
  }
  if (!document || diagnostics.some(d => d.severity === 0)) {
    process.exit(1);
  }
  console.log(`valid: ${document.allMessages().length} messages on ${document.allChannels().length} channels`);
})();
