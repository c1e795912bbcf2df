import rule from '../../src/rules/secure-coding/unsafe-deserialization.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'serialising is fine', code: 'import pickle\npickle.dumps(obj)\npickle.dump(obj, f)' },
    { name: 'json', code: 'import json\njson.loads(body)\njson.load(f)' },
    { name: 'torch weights_only=True', code: 'import torch\ntorch.load(path, weights_only=True)' },
    { name: 'torch weights_only unknown', code: 'import torch\ntorch.load(path, weights_only=SAFE)' },
    { name: 'numpy default', code: 'import numpy as np\nnp.load(path)\nnp.load(path, allow_pickle=False)' },
    { name: 'constant pickle bytes', code: "import pickle\npickle.loads(b'\\x80\\x04N.')" },
    { name: 'shadowed pickle', code: 'def f(pickle, data):\n    return pickle.loads(data)' },
    { name: 'local loads function', code: 'def loads(s):\n    return s\nloads(data)' },
    { name: 'look-alike methods', code: 'model.load(path)\nself.cache.loads(data)\nyaml_store.decode(s)' },
    { name: 'unrelated from-import', code: 'from json import loads\nloads(data)' },
    { name: 'restricted unpickler subclass is not a call', code: 'import pickle\nclass Safe(pickle.Unpickler):\n    pass\nSafe(f).load()' },
    { name: 'shelve of another module', code: 'from dbm import open\nopen(path)' },
    { name: 'safetensors', code: 'from safetensors.torch import load_file\nload_file(path)' },
  ],
  invalid: [
    {
      name: 'a constant path is still a file someone may write (low confidence)',
      code: 'import numpy as np, joblib\nMODEL_DIR = "/srv/models"\narr = np.load(f"{MODEL_DIR}/f.npy", allow_pickle=True)\nclf = joblib.load("model.joblib")',
      errors: [
        { line: 3, messageId: 'numpy', severity: 'medium' },
        { line: 4, messageId: 'deserialize', severity: 'medium' },
      ],
    },
    {
      code: 'import pickle\npickle.loads(data)',
      errors: [{ line: 2, column: 1, messageId: 'deserialize', severity: 'high' }],
      output: null,
    },
    {
      name: 'aliases and variants',
      code: `
        import pickle as pkl
        from pickle import load as pload, Unpickler
        import cPickle, _pickle, dill, cloudpickle
        pkl.load(f)
        pload(f)
        Unpickler(f).load()
        cPickle.loads(s)
        _pickle.loads(s)
        dill.loads(s)
        cloudpickle.load(f)
      `,
      errors: [
        { line: 4, messageId: 'deserialize' },
        { line: 5, messageId: 'deserialize' },
        { line: 6, messageId: 'deserialize' },
        { line: 7, messageId: 'deserialize' },
        { line: 8, messageId: 'deserialize' },
        { line: 9, messageId: 'deserialize' },
        { line: 10, messageId: 'deserialize' },
      ],
    },
    {
      name: 'marshal, shelve, jsonpickle',
      code: 'import marshal, shelve, jsonpickle\nmarshal.loads(b)\nshelve.open(path)\njsonpickle.decode(s)',
      errors: [
        { line: 2, messageId: 'deserialize' },
        { line: 3, messageId: 'deserialize' },
        { line: 4, messageId: 'deserialize' },
      ],
    },
    {
      name: 'pandas and joblib',
      code: 'import pandas as pd\nimport joblib\npd.read_pickle(path)\njoblib.load(path)',
      errors: [
        { line: 3, messageId: 'deserialize' },
        { line: 4, messageId: 'deserialize' },
      ],
    },
    {
      name: 'torch without weights_only',
      code: 'import torch\nstate = torch.load("model.pt")',
      errors: [{ line: 2, messageId: 'torch', severity: 'medium' }],
    },
    {
      name: 'torch weights_only=False',
      code: 'from torch import load\nload(path, weights_only=False)',
      errors: [{ line: 2, messageId: 'torchUnsafe', severity: 'high' }],
    },
    {
      name: 'numpy allow_pickle=True',
      code: 'import numpy as np\nnp.load(path, allow_pickle=True)',
      errors: [{ line: 2, messageId: 'numpy' }],
    },
    {
      name: 'django request body',
      code: `
        import pickle
        from django.http import HttpResponse
        def restore(request):
            return pickle.loads(request.body)
      `,
      errors: [{ line: 4, messageId: 'request', severity: 'critical' }],
    },
    {
      name: 'flask cookie through a name',
      code: `
        import base64, pickle
        from flask import request
        def view():
            raw = base64.b64decode(request.cookies["state"])
            return pickle.loads(raw)
      `,
      errors: [{ line: 5, messageId: 'request', severity: 'critical' }],
    },
  ],
});
