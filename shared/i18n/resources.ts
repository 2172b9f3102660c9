/**
 * Translation resources: one JSON file per language and namespace. Korean is the default language.
 * `messages` holds error and validation texts (keys used by the contract's errors).
 */
import enAssessment from './locales/en/assessment.json' with { type: 'json' };
import enDiagnosis from './locales/en/diagnosis.json' with { type: 'json' };
import enProject from './locales/en/project.json' with { type: 'json' };
import enLevel from './locales/en/level.json' with { type: 'json' };
import enSync from './locales/en/sync.json' with { type: 'json' };
import enCommon from './locales/en/common.json' with { type: 'json' };
import enMessages from './locales/en/messages.json' with { type: 'json' };
import enRegistry from './locales/en/registry.json' with { type: 'json' };
import koAssessment from './locales/ko/assessment.json' with { type: 'json' };
import koDiagnosis from './locales/ko/diagnosis.json' with { type: 'json' };
import koProject from './locales/ko/project.json' with { type: 'json' };
import koLevel from './locales/ko/level.json' with { type: 'json' };
import koSync from './locales/ko/sync.json' with { type: 'json' };
import koCommon from './locales/ko/common.json' with { type: 'json' };
import koMessages from './locales/ko/messages.json' with { type: 'json' };
import koRegistry from './locales/ko/registry.json' with { type: 'json' };

export const NAMESPACES = ['common', 'messages', 'registry', 'assessment', 'diagnosis', 'project', 'level', 'sync'] as const;

export const resources = {
  ko: { common: koCommon, messages: koMessages, registry: koRegistry, assessment: koAssessment, diagnosis: koDiagnosis, project: koProject, level: koLevel, sync: koSync },
  en: { common: enCommon, messages: enMessages, registry: enRegistry, assessment: enAssessment, diagnosis: enDiagnosis, project: enProject, level: enLevel, sync: enSync },
} as const;
