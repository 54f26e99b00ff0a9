// N-API binding of headroom's C DSP: the same meter and bus chain the live filter-host
// runs, for `analyze`, `render` and exact DSP tests from Node.
#include <napi.h>
#include <cmath>
#include <memory>
#include <vector>

extern "C" {
#include "dsp/chain.h"
#include "dsp/meter.h"
#include "dsp/params.h"
}
#include "pcm.h"

namespace {

Napi::Value Fail(Napi::Env env, const char *code, const std::string &message)
{
	Napi::Error e = Napi::Error::New(env, message);
	e.Set("code", Napi::String::New(env, code));
	e.ThrowAsJavaScriptException();
	return env.Undefined();
}

// Interleaved bytes in some PCM format -> interleaved floats.
bool DecodeArgs(const Napi::CallbackInfo &info, int channels, std::vector<float> &out)
{
	Napi::Env env = info.Env();
	if (info.Length() < 2 || !info[0].IsTypedArray() || !info[1].IsString()) {
		Fail(env, "EINVAL", "expected (bytes: Uint8Array, format: string)");
		return false;
	}
	PcmFormat f;
	if (!pcm_format_from_name(info[1].As<Napi::String>().Utf8Value().c_str(), &f)) {
		Fail(env, "EINVAL", "unknown PCM format");
		return false;
	}
	Napi::TypedArray ta = info[0].As<Napi::TypedArray>();
	const uint8_t *bytes = static_cast<const uint8_t *>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
	size_t frame_bytes = pcm_bytes_per_sample(f) * channels;
	if (ta.ByteLength() % frame_bytes != 0) {
		Fail(env, "EINVAL", "byte length is not a whole number of frames");
		return false;
	}
	size_t samples = ta.ByteLength() / pcm_bytes_per_sample(f);
	out.resize(samples);
	pcm_decode(f, bytes, samples, out.data());
	return true;
}

bool ReadWeights(const Napi::Value &v, int channels, double *w, bool *given)
{
	*given = false;
	if (v.IsUndefined() || v.IsNull())
		return true;
	if (!v.IsArray() || v.As<Napi::Array>().Length() != (uint32_t)channels)
		return false;
	Napi::Array a = v.As<Napi::Array>();
	for (int c = 0; c < channels; c++) {
		Napi::Value x = a.Get(c);
		if (!x.IsNumber())
			return false;
		w[c] = x.As<Napi::Number>().DoubleValue();
	}
	*given = true;
	return true;
}

// (rate, channels, weights?) of both constructors; false after throwing.
bool CtorArgs(const Napi::CallbackInfo &info, const char *usage, int *rate, int *channels, double *w, bool *given)
{
	Napi::Env env = info.Env();
	if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) {
		Fail(env, "EINVAL", usage);
		return false;
	}
	*rate = info[0].As<Napi::Number>().Int32Value();
	*channels = info[1].As<Napi::Number>().Int32Value();
	if (*channels < 1 || *channels > HR_MAX_CHANNELS || !ReadWeights(info[2], *channels, w, given)) {
		Fail(env, "EINVAL", "channel count or weights out of range");
		return false;
	}
	return true;
}

Napi::Object MeterResult(Napi::Env env, const hr_meter *m)
{
	Napi::Object o = Napi::Object::New(env);
	int measured = 0;
	double range = hr_meter_range(m, &measured);
	o.Set("momentary", hr_meter_momentary(m));
	o.Set("shortTerm", hr_meter_short_term(m));
	o.Set("momentaryMax", hr_meter_momentary_max(m));
	o.Set("shortTermMax", hr_meter_short_term_max(m));
	o.Set("integrated", hr_meter_integrated(m));
	o.Set("loudnessRange", measured ? Napi::Value(Napi::Number::New(env, range)) : env.Null());
	o.Set("samplePeak", hr_meter_sample_peak(m));
	o.Set("truePeak", hr_meter_peak(m));
	return o;
}

// Feed interleaved floats to a meter in runs of HR_CHUNK, deinterleaving on the way.
void FeedMeter(hr_meter *m, const float *x, size_t frames)
{
	float buf[HR_MAX_CHANNELS][HR_CHUNK];
	const float *ch[HR_MAX_CHANNELS];
	for (int c = 0; c < m->channels; c++)
		ch[c] = buf[c];
	for (size_t off = 0; off < frames; off += HR_CHUNK) {
		int n = (int)std::min<size_t>(HR_CHUNK, frames - off);
		for (int i = 0; i < n; i++)
			for (int c = 0; c < m->channels; c++)
				buf[c][i] = x[(off + i) * m->channels + c];
		hr_meter_process(m, ch, n);
	}
}

class Meter : public Napi::ObjectWrap<Meter> {
public:
	static Napi::Function Init(Napi::Env env)
	{
		return DefineClass(env, "Meter", {
			InstanceMethod("push", &Meter::Push),
			InstanceMethod("finish", &Meter::Finish),
			InstanceMethod("result", &Meter::Result),
		});
	}
	Meter(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Meter>(info), m_(new hr_meter())
	{
		int rate, channels;
		double w[HR_MAX_CHANNELS];
		bool given;
		if (!CtorArgs(info, "Meter(rate, channels, weights?)", &rate, &channels, w, &given))
			return;
		if (hr_meter_init(m_.get(), rate, channels, given ? w : nullptr, HR_METER_GATED | HR_METER_TRUE_PEAK) < 0)
			Fail(info.Env(), "EINVAL", "sample rate or channel count out of range");
	}

private:
	Napi::Value Push(const Napi::CallbackInfo &info)
	{
		if (!DecodeArgs(info, m_->channels, scratch_))
			return info.Env().Undefined();
		FeedMeter(m_.get(), scratch_.data(), scratch_.size() / m_->channels);
		return info.Env().Undefined();
	}
	Napi::Value Finish(const Napi::CallbackInfo &info)
	{
		hr_meter_flush(m_.get());
		return info.Env().Undefined();
	}
	Napi::Value Result(const Napi::CallbackInfo &info) { return MeterResult(info.Env(), m_.get()); }

	std::unique_ptr<hr_meter> m_;
	std::vector<float> scratch_;
};

class Chain : public Napi::ObjectWrap<Chain> {
public:
	static Napi::Function Init(Napi::Env env)
	{
		return DefineClass(env, "Chain", {
			InstanceMethod("setParam", &Chain::SetParam),
			InstanceMethod("setBypass", &Chain::SetBypass),
			InstanceMethod("setGain", &Chain::SetGain),
			InstanceMethod("process", &Chain::Process),
			InstanceMethod("stats", &Chain::Stats),
		});
	}
	Chain(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Chain>(info), c_(new hr_chain())
	{
		int rate, channels;
		double w[HR_MAX_CHANNELS];
		bool given;
		if (!CtorArgs(info, "Chain(rate, channels, weights?)", &rate, &channels, w, &given))
			return;
		if (hr_chain_init(c_.get(), rate, channels, given ? w : nullptr) < 0)
			Fail(info.Env(), "EINVAL", "sample rate or channel count out of range");
	}

private:
	Napi::Value SetParam(const Napi::CallbackInfo &info)
	{
		Napi::Env env = info.Env();
		if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber())
			return Fail(env, "EINVAL", "setParam(key: string, value: number)");
		std::string key = info[0].As<Napi::String>().Utf8Value();
		int id = hr_param_find(key.c_str());
		if (id < 0)
			return Fail(env, "ENOKEY", "unknown parameter " + key);
		int r = hr_chain_set_param(c_.get(), id, info[1].As<Napi::Number>().DoubleValue());
		if (r == HR_ERANGE)
			return Fail(env, "ERANGE", "value out of range for " + key);
		return env.Undefined();
	}
	Napi::Value SetBypass(const Napi::CallbackInfo &info)
	{
		hr_chain_set_bypass(c_.get(), info.Length() > 0 && info[0].ToBoolean().Value());
		return info.Env().Undefined();
	}
	// setGain(db): the AGC's gain now (clamped to its limits), as a live bus that has settled
	Napi::Value SetGain(const Napi::CallbackInfo &info)
	{
		Napi::Env env = info.Env();
		if (info.Length() < 1 || !info[0].IsNumber() || !std::isfinite(info[0].As<Napi::Number>().DoubleValue()))
			return Fail(env, "EINVAL", "setGain(db: finite number)");
		hr_agc_set_gain(&c_->agc, info[0].As<Napi::Number>().DoubleValue());
		return env.Undefined();
	}
	// process(bytes, format) -> Float32Array of the chain's interleaved output
	Napi::Value Process(const Napi::CallbackInfo &info)
	{
		Napi::Env env = info.Env();
		if (!DecodeArgs(info, c_->channels, scratch_))
			return env.Undefined();
		size_t samples = scratch_.size(), frames = samples / c_->channels;
		Napi::Float32Array out = Napi::Float32Array::New(env, samples);
		for (size_t off = 0; off < frames; off += 4096) {
			int n = (int)std::min<size_t>(4096, frames - off);
			hr_chain_process(c_.get(), scratch_.data() + off * c_->channels, out.Data() + off * c_->channels, n);
		}
		return out;
	}
	Napi::Value Stats(const Napi::CallbackInfo &info)
	{
		Napi::Env env = info.Env();
		hr_chain_stats st;
		hr_chain_stats_get(c_.get(), &st);
		Napi::Object o = Napi::Object::New(env);
		o.Set("agcGainDb", st.agc_gain_db);
		o.Set("agcMinDb", st.agc_min_db);
		o.Set("agcMaxDb", st.agc_max_db);
		o.Set("compressorMaxReductionDb", st.compressor_max_reduction_db);
		o.Set("limiterMaxReductionDb", st.limiter_max_reduction_db);
		o.Set("invalidBlocks", (double)st.invalid_blocks);
		o.Set("latencyFrames", st.latency_frames);
		return o;
	}
	std::unique_ptr<hr_chain> c_;
	std::vector<float> scratch_;
};

Napi::Value Params(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	Napi::Array a = Napi::Array::New(env, HR_P__COUNT);
	for (uint32_t i = 0; i < HR_P__COUNT; i++) {
		Napi::Object o = Napi::Object::New(env);
		o.Set("key", hr_params[i].key);
		o.Set("default", hr_params[i].def);
		o.Set("min", hr_params[i].min);
		o.Set("max", hr_params[i].max);
		o.Set("unit", hr_params[i].unit);
		a.Set(i, o);
	}
	return a;
}

Napi::Object Init(Napi::Env env, Napi::Object exports)
{
	exports.Set("Meter", Meter::Init(env));
	exports.Set("Chain", Chain::Init(env));
	exports.Set("params", Napi::Function::New(env, Params));
	exports.Set("loudnessFloor", Napi::Number::New(env, HR_LOUDNESS_FLOOR_LUFS));
	return exports;
}

} // namespace

NODE_API_MODULE(headroom_dsp, Init)
