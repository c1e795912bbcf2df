import rule from '../../src/rules/access-control/mass-assignment.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'explicit field lists',
      code: `
        from django import forms
        from rest_framework import serializers
        class ProfileForm(forms.ModelForm):
            class Meta:
                model = Profile
                fields = ["bio", "avatar"]
        class ProfileSerializer(serializers.ModelSerializer):
            class Meta:
                model = Profile
                fields = ("id", "bio")
      `,
    },
    {
      name: '__all__ on a plain form or a look-alike',
      code: `
        from django import forms
        from myapp.forms import ModelForm
        class SearchForm(forms.Form):
            class Meta:
                fields = "__all__"
        class Other(ModelForm):
            class Meta:
                fields = "__all__"
      `,
    },
    {
      name: 'exclude on a serializer is not the ModelForm case',
      code: `
        from rest_framework import serializers
        class S(serializers.ModelSerializer):
            class Meta:
                model = Profile
                exclude = ["password"]
      `,
    },
    {
      name: 'setattr over a fixed allow-list',
      code: `
        from flask import request
        ALLOWED = ("name", "bio")
        def update(user):
            data = request.get_json()
            for k in ALLOWED:
                setattr(user, k, data[k])
      `,
    },
    {
      name: 'setattr with a key check',
      code: `
        from flask import request
        def update(user):
            for k, v in request.json.items():
                if k in ALLOWED:
                    setattr(user, k, v)
            for k, v in request.json.items():
                if k not in ALLOWED:
                    continue
                setattr(user, k, v)
      `,
    },
    {
      name: 'setattr over a filtered comprehension or a validated schema',
      code: `
        from flask import request
        def update(user):
            clean = {k: v for k, v in request.json.items() if k in EDITABLE}
            for k, v in clean.items():
                setattr(user, k, v)
            for k, v in schema.load(request.json).items():
                setattr(user, k, v)
      `,
    },
    {
      name: 'setattr over data that is not from a request',
      code: `
        def apply(obj, config):
            for k, v in config.items():
                setattr(obj, k, v)
      `,
    },
    {
      name: 'splat of request data into non-model calls',
      code: `
        from flask import request, render_template, jsonify
        def view():
            ctx = {}
            ctx.update(**request.args)
            params = {}
            params.update(**request.args)
            render_template("x.html", **request.args)
            return jsonify(**request.json)
      `,
    },
    {
      name: 'schema validates before the model',
      code: `
        from flask import request
        from app.models import User
        def create():
            user = User(**UserSchema().load(request.json))
            return User(name=request.json["name"])
      `,
    },
    {
      name: 'pydantic-style local class',
      code: `
        from flask import request
        from pydantic import BaseModel
        class Item(BaseModel):
            name: str
        def create():
            return Item(**request.json)
      `,
    },
    {
      name: 'request parameter outside any web framework',
      code: `
        from app.models import Job
        def build(request):
            return Job(**request.json)
      `,
    },
  ],
  invalid: [
    {
      name: 'ModelForm and ModelSerializer with __all__',
      code: `
        from django import forms
        from rest_framework import serializers
        class ProfileForm(forms.ModelForm):
            class Meta:
                model = Profile
                fields = "__all__"
        class ProfileSerializer(serializers.ModelSerializer):
            class Meta:
                model = Profile
                fields = '__all__'
                read_only_fields = ["id"]
      `,
      errors: [
        { line: 6, column: 9, messageId: 'allFields', severity: 'medium' },
        { line: 10, column: 9, messageId: 'allFields' },
      ],
      output: null,
    },
    {
      name: 'ModelForm with exclude, through a local base class',
      code: `
        from django.forms import ModelForm
        class BaseForm(ModelForm):
            pass
        class AccountForm(BaseForm):
            class Meta:
                model = Account
                exclude = ["created"]
      `,
      errors: [{ line: 7, messageId: 'exclude' }],
    },
    {
      name: 'generic edit view and form factory',
      code: `
        from django.views.generic import UpdateView
        from django.forms import modelform_factory
        class EditProfile(UpdateView):
            model = Profile
            fields = "__all__"
        ProfileForm = modelform_factory(Profile, fields="__all__")
      `,
      errors: [
        { line: 5, messageId: 'allFields' },
        { line: 6, messageId: 'factory' },
      ],
    },
    {
      name: 'setattr loop over request.json',
      code: `
        from flask import request
        def update(user):
            for key, value in request.json.items():
                setattr(user, key, value)
      `,
      errors: [{ line: 4, column: 9, messageId: 'setattr' }],
    },
    {
      name: 'setattr loop through a name, hasattr check only, aliased flask',
      code: `
        import flask
        def update(user):
            data = flask.request.get_json()
            for k in data:
                if hasattr(user, k):
                    setattr(user, k, data[k])
      `,
      errors: [{ line: 6, messageId: 'setattr' }],
    },
    {
      name: 'django view json body',
      code: `
        import json
        from django.http import JsonResponse
        def update_profile(request):
            payload = json.loads(request.body)
            for k, v in payload.items():
                setattr(request.user, k, v)
      `,
      errors: [{ line: 6, messageId: 'setattr' }],
    },
    {
      name: 'model constructors and managers with request splats',
      code: `
        from flask import request
        from app.models import User
        from .models import Order
        def create():
            u = User(**request.json)
            o = Order(**request.form.to_dict())
      `,
      errors: [
        { line: 5, messageId: 'splat' },
        { line: 6, messageId: 'splat' },
      ],
    },
    {
      name: 'django managers and obj.update',
      code: `
        from django.http import HttpResponse
        def create(request):
            Item.objects.create(**request.POST.dict())
            Item.objects.filter(pk=1).update(**request.POST.dict())
            item.update(**request.POST.dict())
      `,
      errors: [
        { line: 3, messageId: 'splat' },
        { line: 4, messageId: 'splat' },
        { line: 5, messageId: 'splat' },
      ],
    },
    {
      name: 'fastapi awaited request body into a model from a db module',
      code: `
        from fastapi import Request
        from .db import Account
        async def import_account(request: Request):
            payload = await request.json()
            s.add(Account(**payload))
            s.add(Account(email=payload["email"]))
      `,
      errors: [{ line: 5, messageId: 'splat' }],
    },
    {
      name: 'local SQLAlchemy model and __dict__.update',
      code: `
        from flask import request
        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        def create():
            user = User(**request.get_json())
            user.__dict__.update(request.json)
      `,
      errors: [
        { line: 5, messageId: 'splat' },
        { line: 6, messageId: 'dictUpdate' },
      ],
    },
  ],
});
