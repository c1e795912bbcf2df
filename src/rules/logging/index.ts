import type { Rule } from '../../core/types.js';
import loggingConfigListen from './logging-config-listen.js';
import djangoDebugEnabled from './django-debug-enabled.js';
import flaskDebugEnabled from './flask-debug-enabled.js';

export const rules: Rule[] = [flaskDebugEnabled, djangoDebugEnabled, loggingConfigListen];
