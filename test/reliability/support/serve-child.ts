/** A browser-mode server in its own process (hostile-input tests): prints {port, token} and serves until killed. */
import { createCore } from '../../../main/core';
import { startBridge } from '../../../main/host/bridge';

const [dataDir, siteDir] = process.argv.slice(2);
const core = createCore({ dataDir: dataDir! });
const bridge = await startBridge(core, { staticDir: siteDir });
console.log(JSON.stringify({ port: bridge.port, token: bridge.token }));
