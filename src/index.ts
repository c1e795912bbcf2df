/** Probot entry point: `probot run ./dist/index.js` (development, and the setup flow). Wiring only. */
import { createApp } from './app.js';
import { productionDeps } from './production.js';

export default createApp(productionDeps(process.env));
