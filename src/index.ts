/** Probot entry point: `probot run ./dist/index.js` (npm start). Wiring only. */
import { createApp } from './app.js';

export default createApp();
