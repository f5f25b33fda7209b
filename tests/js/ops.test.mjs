// Every per-op model of tools/make_models.py on each backend variant, against onnxruntime-node.
import { ownNames } from './support.mjs';
import { modelSuites, selected } from './variants.mjs';

modelSuites(selected(ownNames('ops')));
