'use strict';
// See package.json: restify 11 requires spdy at load time; we never pass restify's `spdy` option.
function unsupported() {
  throw new Error('HTTP/2 through spdy is not supported in this build of Smart Industry Advisor');
}
module.exports = { createServer: unsupported, Agent: unsupported, createAgent: unsupported };
