import type { Rule } from '../../core/types.js';
import flaskDebugEnabled from './flask-debug-enabled.js';
import djangoDebugEnabled from './django-debug-enabled.js';
import loggingConfigListen from './logging-config-listen.js';
import logInjection from './log-injection.js';
import secretLogged from './secret-logged.js';
import stackTraceExposed from './stack-trace-exposed.js';
import werkzeugDebuggerEnabled from './werkzeug-debugger-enabled.js';
import debugToolbarEnabled from './debug-toolbar-enabled.js';

export const rules: Rule[] = [
  flaskDebugEnabled,
  djangoDebugEnabled,
  loggingConfigListen,
  logInjection,
  secretLogged,
  stackTraceExposed,
  werkzeugDebuggerEnabled,
  debugToolbarEnabled,
];
